import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BadInputError } from './exit.ts';

// Files and folders a user named with --out (or similar): a path that cannot be written (a file where a
// folder should be, no permission) is bad input named in one line, not a raw system error.
const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of its folder path is a file',
  ENOENT: 'no file can be created there',
  EEXIST: 'a part of its folder path is a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

async function named<T>(path: string, option: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw err;
    throw new BadInputError(`${option} ${path}: cannot write it: ${REASONS[code] ?? code}`);
  }
}

/** Creates a folder a user named (`demo --out-dir`), as writing a file into it would. */
export async function ensureOutputFolder(dir: string, option: string): Promise<void> {
  await named(dir, option, () => mkdir(dir, { recursive: true }));
}

/** Writes a file a user named, creating its folder as `demo --out-dir` does. */
export async function writeOutputFile(
  file: string,
  data: string | Uint8Array,
  option = '--out',
): Promise<void> {
  await named(file, option, async () => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
  });
}
