import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { once } from 'node:events';

/** What a failure record keeps of an attempt's output. */
export const LOG_TAIL_BYTES = 64 * 1024;
// An event line longer than this is reported as malformed instead of being held in memory.
const MAX_EVENT_LINE = 1024 * 1024;

// The program's stdout and stderr, written to the attempt's log file as they come, with the last 64 KiB
// kept in memory for the failure record. Memory stays flat whatever the program prints: the streams
// are paused while the file catches up, and only lines that start with the event prefix are held.
export class LogSink {
  private readonly file: WriteStream;
  private tail = Buffer.alloc(0);
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
      if (!this.file.write(chunk)) {
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

  private keep(chunk: Buffer): void {
    if (chunk.length >= LOG_TAIL_BYTES) this.tail = Buffer.from(chunk.subarray(-LOG_TAIL_BYTES));
    else if (this.tail.length + chunk.length <= LOG_TAIL_BYTES) this.tail = Buffer.concat([this.tail, chunk]);
    else
      this.tail = Buffer.concat([
        this.tail.subarray(this.tail.length + chunk.length - LOG_TAIL_BYTES),
        chunk,
      ]);
  }

  /** The last 64 KiB of output, decoded leniently (the cut may split a character). */
  tailText(): string {
    return this.tail.toString('utf8');
  }

  async close(): Promise<void> {
    this.file.end();
    if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
  }
}
