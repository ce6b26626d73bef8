import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { codeHash } from '../../../../workers/command/code-hash.ts';
import { scratch } from './fixtures.ts';

async function program(): Promise<string> {
  const dir = await scratch();
  await mkdir(join(dir, 'model'));
  await writeFile(join(dir, 'train.py'), 'print(1)\n');
  await writeFile(join(dir, 'model', 'cnn.py'), 'W = 1\n');
  await writeFile(join(dir, 'README.txt'), 'notes\n');
  return dir;
}

test('listed code: one byte of a listed file or of a file under a listed folder changes the hash', async () => {
  const dir = await program();
  const code = ['train.py', 'model/'];
  const before = await codeHash(dir, code);
  assert.equal(await codeHash(dir, ['model', 'train.py']), before, 'order and trailing slash do not matter');
  await appendFile(join(dir, 'model', 'cnn.py'), ' ');
  const edited = await codeHash(dir, code);
  assert.notEqual(edited, before);
  await writeFile(join(dir, 'model', 'new.py'), '');
  assert.notEqual(await codeHash(dir, code), edited, 'a new file under a listed folder counts');
});

test('listed code: editing any other file, or a __pycache__ the run wrote, leaves the hash alone', async () => {
  const dir = await program();
  const before = await codeHash(dir, ['train.py', 'model']);
  await appendFile(join(dir, 'README.txt'), 'more notes\n');
  await mkdir(join(dir, 'model', '__pycache__'));
  await writeFile(join(dir, 'model', '__pycache__', 'cnn.cpython-312.pyc'), 'bytes');
  assert.equal(await codeHash(dir, ['train.py', 'model']), before);
});

test('listed code: a missing path or one outside cwd is bad input naming it', async () => {
  const dir = await program();
  await assert.rejects(codeHash(dir, ['nope.py']), {
    badInput: true,
    message: /code: nope.py does not exist/,
  });
  await assert.rejects(codeHash(dir, ['../x']), { message: /outside the program's folder/ });
});

test('default: the git tree of cwd, its uncommitted diff and its untracked files', async () => {
  const dir = await program();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'one');
  const clean = await codeHash(dir);
  assert.equal(await codeHash(dir), clean);
  await appendFile(join(dir, 'train.py'), '#');
  const dirty = await codeHash(dir);
  assert.notEqual(dirty, clean, 'an uncommitted edit counts');
  git('commit', '-qam', 'two');
  assert.notEqual(await codeHash(dir), clean);
  const committed = await codeHash(dir);
  await writeFile(join(dir, 'extra.py'), 'x');
  assert.notEqual(await codeHash(dir), committed, 'an untracked file counts');
  await writeFile(join(dir, '.gitignore'), 'extra.py\n');
  git('add', '.gitignore');
  git('commit', '-qm', 'ignore');
  const ignoring = await codeHash(dir);
  await writeFile(join(dir, 'extra.py'), 'y');
  assert.equal(await codeHash(dir), ignoring, 'an ignored file does not');
});

test('default outside a git work tree: bad input saying to list the code', async () => {
  const dir = await program();
  await assert.rejects(codeHash(dir), {
    badInput: true,
    message: /not in a git work tree.*list the program's files/,
  });
});
