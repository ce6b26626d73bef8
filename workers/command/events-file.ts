import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

// The NDJSON file PHASESWEEP_EVENTS names, read as it grows. A file, not a descriptor, because wrappers
// such as srun or docker run close extra descriptors; polled, because inotify misses writes through
// network file systems and bind mounts.
export class EventsFile {
  private handle?: FileHandle;
  private offset = 0;
  private partial = '';
  // A read may end inside a multi-byte character.
  private readonly decoder = new StringDecoder('utf8');
  private reading?: Promise<void>;

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {}

  async create(): Promise<void> {
    this.handle = await open(this.path, 'a+');
  }

  /** Reads what was appended since the last read; `final` also takes a last line without newline. */
  read(final = false): Promise<void> {
    const previous = this.reading ?? Promise.resolve();
    this.reading = previous.then(() => this.readMore(final));
    return this.reading;
  }

  private async readMore(final: boolean): Promise<void> {
    if (!this.handle) return;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      const lines = (this.partial + this.decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.onLine(line);
    }
    if (final && this.partial.trim() !== '') {
      this.onLine(this.partial);
      this.partial = '';
    }
  }

  async close(): Promise<void> {
    await this.read(true);
    await this.handle?.close();
    this.handle = undefined;
  }
}
