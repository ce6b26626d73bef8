import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';

// As root, Postgres runs as the `postgres` user, which cannot enter a 0700 folder such as /root or a
// `mktemp -d` copy of the project. What it needs then goes here: root-owned, 0755 from / down, and on
// persistent storage. Not /tmp: another user could plant a predictable name there before root creates it,
// and tmp cleaners would delete the data.
export const SHARED_ROOT = '/var/lib/phasesweep';

const FIX = 'set PHASESWEEP_HOME to a directory every user can enter, or run phasesweep as an ordinary user';

export function isRoot(): boolean {
  return userInfo().uid === 0;
}

// By mode bits alone (ignoring groups and ACLs), so it may say no where the `postgres` user could get in;
// then the shared copy is used, which works either way. Parts not yet created will be made 0755.
export function othersCanEnter(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === dirname(d)) return true;
  }
}

function shortHash(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
}

export function ensureSharedDir(dir: string): void {
  try {
    for (const d of [SHARED_ROOT, dir]) {
      mkdirSync(d, { recursive: true, mode: 0o755 });
      chmodSync(d, 0o755);
    }
  } catch (err) {
    throw new Error(`cannot create ${dir} for the "postgres" user (${(err as Error).message}): ${FIX}`);
  }
}

// One data directory per PHASESWEEP_HOME, named by a hash of its path.
export function sharedDataDir(home: string): string {
  return join(SHARED_ROOT, `data-${shortHash(home)}`, 'pg');
}

// The platform package's version fixes its contents, so hashing its package.json and symlink list names
// the copy; a new version gets a new copy instead of overwriting binaries a running Postgres uses.
export function reachableBinary(binary: string): string {
  const native = dirname(dirname(binary));
  if (!isRoot() || othersCanEnter(dirname(binary))) return binary;
  const target = join(
    SHARED_ROOT,
    `postgres-${shortHash(readFileSync(join(native, '..', 'package.json')), readFileSync(join(native, 'pg-symlinks.json')))}`,
  );
  const copied = join(target, 'bin', basename(binary));
  if (!existsSync(copied)) {
    ensureSharedDir(SHARED_ROOT);
    const staging = `${target}.partial-${process.pid}`;
    try {
      rmSync(staging, { recursive: true, force: true });
      cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
      chmodSync(staging, 0o755);
      // Atomic, so a concurrent `up` never sees a half-copied tree; whoever renames second keeps the first.
      if (!existsSync(copied)) renameSync(staging, target);
    } catch (err) {
      if (!existsSync(copied))
        throw new Error(`cannot copy the Postgres binaries to ${target} (${(err as Error).message}): ${FIX}`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return join(target, 'bin', basename(binary));
}
