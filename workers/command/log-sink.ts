import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { once } from 'node:events';

/** What a failure record keeps of an attempt's output. */
export const LOG_TAIL_BYTES = 64 * 1024;
// An event line longer than this is reported as malformed instead of being held in memory.
const MAX_EVENT_LINE = 1024 * 1024;

// How long output may wait to be written to the log with what follows it: a persistent program answers
// hundreds of cells a second, a line each, and one write per line cost more than the rest of a cell.
const LOG_FLUSH_MS = 100;

// The program's stdout and stderr, written to the attempt's log file as they come (gathered for up to
// LOG_FLUSH_MS or 16 KiB), with the last 64 KiB kept in memory for the failure record. Memory stays flat
// whatever the program prints: the streams are paused while the file catches up, and only lines that
// start with the event prefix are held.
export class LogSink {
  private readonly file: WriteStream;
  // The last LOG_TAIL_BYTES of output, a ring: `written` bytes so far, the newest ending at
  // written % LOG_TAIL_BYTES.
  private ring?: Buffer;
  private written = 0;
  private flushTimer?: NodeJS.Timeout;
  private readonly streams: Readable[] = [];

  constructor(
    path: string,
    private readonly prefix: string,
    private readonly onLine: (line: string) => void,
  ) {
    this.file = createWriteStream(path, { flags: 'a' });
    // A full disk must not kill the worker; the tail is still kept.
    this.file.on('error', () => {});
  }

  attach(stream: Readable, events: boolean): void {
    this.streams.push(stream);
    let line: Buffer[] = [];
    let lineBytes = 0;
    // Per line: undecided until the prefix's length is seen, then held (an event) or passed by.
    let holding: boolean | undefined;
    stream.on('data', (chunk: Buffer) => {
      this.keep(chunk);
      if (this.flushTimer === undefined) {
        this.file.cork();
        this.flushTimer = setTimeout(() => this.flush(), LOG_FLUSH_MS);
      }
      if (!this.file.write(chunk)) {
        this.flush();
        for (const s of this.streams) s.pause();
        this.file.once('drain', () => this.streams.forEach((s) => s.resume()));
      }
      if (!events) return;
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(10, start);
        const end = newline < 0 ? chunk.length : newline;
        if (holding !== false) {
          line.push(chunk.subarray(start, end));
          lineBytes += end - start;
          if (holding === undefined && lineBytes >= this.prefix.length) {
            holding = Buffer.concat(line).subarray(0, this.prefix.length).toString() === this.prefix;
            if (!holding) line = [];
          }
          if (holding && lineBytes > MAX_EVENT_LINE) {
            this.onLine(`${this.prefix}(an event line over 1 MiB, dropped)`);
            holding = false;
            line = [];
          }
        }
        if (newline < 0) break;
        if (holding) this.onLine(Buffer.concat(line).toString('utf8'));
        line = [];
        lineBytes = 0;
        holding = undefined;
        start = newline + 1;
      }
    });
  }

  private flush(): void {
    if (this.flushTimer === undefined) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.file.uncork();
  }

  private keep(chunk: Buffer): void {
    const ring = (this.ring ??= Buffer.allocUnsafe(LOG_TAIL_BYTES));
    const kept = chunk.subarray(-LOG_TAIL_BYTES);
    const at = (this.written + chunk.length - kept.length) % LOG_TAIL_BYTES;
    const copied = kept.copy(ring, at);
    kept.copy(ring, 0, copied);
    this.written += chunk.length;
  }

  /** The last 64 KiB of output, decoded leniently (the cut may split a character). */
  tailText(): string {
    if (this.ring === undefined) return '';
    if (this.written < LOG_TAIL_BYTES) return this.ring.toString('utf8', 0, this.written);
    const end = this.written % LOG_TAIL_BYTES;
    return Buffer.concat([this.ring.subarray(end), this.ring.subarray(0, end)]).toString('utf8');
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.file.end();
    if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
  }
}
