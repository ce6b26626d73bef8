import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BadInputError } from './exit.ts';

// Writes a file a user named with --out (or similar), creating its folder as `demo --out-dir` does. A
// path that cannot be written (a file where a folder should be, no permission) is bad input named in
// one line, not a raw system error.
export async function writeOutputFile(
  file: string,
  data: string | Uint8Array,
  option = '--out',
): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw err;
    const reason: Record<string, string> = {
      ENOTDIR: 'a part of its folder path is a file',
      EEXIST: 'a part of its folder path is a file',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EISDIR: 'it is a folder',
      EROFS: 'read-only file system',
      ENOSPC: 'no space left on the device',
    };
    throw new BadInputError(`${option} ${file}: cannot write it: ${reason[code] ?? code}`);
  }
}
