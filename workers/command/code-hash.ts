import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

export class CodeHashError extends Error {
  readonly badInput = true;
}

// Written by running the program, not by its author: hashing them would make every cell a miss after
// the first run.
const DERIVED = new Set(['.git', '__pycache__']);

// What identifies the program's code in each cell's key. With `code:` listed, the bytes of those files
// and of every file under those folders: paths relative to cwd, sorted, each with its content's hash,
// so that editing one byte of a listed file changes the hash and editing any other file does not.
// Without it, the git tree of cwd, plus its uncommitted diff and its untracked files.
export async function codeHash(cwd: string, code?: readonly string[]): Promise<string> {
  return code === undefined ? gitHash(cwd) : listedHash(cwd, code);
}

async function listedHash(cwd: string, code: readonly string[]): Promise<string> {
  const entries = new Map<string, string>();
  for (const listed of code) {
    const path = resolve(cwd, listed);
    const rel = relative(cwd, path);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new CodeHashError(`command.code: ${listed} is outside the program's folder (cwd)`);
    const stat = await lstat(path).catch(() => undefined);
    if (stat === undefined) throw new CodeHashError(`command.code: ${listed} does not exist (in ${cwd})`);
    await collect(cwd, path, entries);
  }
  const hash = createHash('sha256').update('code v1\n');
  for (const rel of [...entries.keys()].sort()) hash.update(`${rel}\0${entries.get(rel)}\n`);
  return hash.digest('hex');
}

async function collect(cwd: string, path: string, into: Map<string, string>): Promise<void> {
  const stat = await lstat(path);
  const rel = relative(cwd, path).split(sep).join('/');
  if (stat.isSymbolicLink()) into.set(rel, `link ${await readlink(path)}`);
  else if (stat.isFile())
    into.set(
      rel,
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  else if (stat.isDirectory()) {
    for (const name of await readdir(path))
      if (!DERIVED.has(name)) await collect(cwd, join(path, name), into);
  }
}

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
  return stdout;
}

async function gitHash(cwd: string): Promise<string> {
  let tree: string;
  try {
    tree = (await git(cwd, ['rev-parse', 'HEAD:./'])).trim();
  } catch {
    throw new CodeHashError(
      `command.code: ${cwd} is not in a git work tree with a commit; list the program's files and folders under code`,
    );
  }
  const hash = createHash('sha256').update(`git v1\ntree ${tree}\n`);
  hash.update(await git(cwd, ['diff', 'HEAD', '--binary', '--', '.']));
  const untracked = (await git(cwd, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.']))
    .split('\0')
    .filter(Boolean)
    .sort();
  for (const rel of untracked) {
    const bytes = await readFile(join(cwd, rel)).catch(() => Buffer.alloc(0));
    hash.update(`untracked ${rel}\0${createHash('sha256').update(bytes).digest('hex')}\n`);
  }
  return hash.digest('hex');
}
