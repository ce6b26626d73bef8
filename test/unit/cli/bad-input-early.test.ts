import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/phasesweep.js');

// The demo trains for minutes before it writes its figures: a folder it cannot write is refused first,
// before any stack starts (none can here: no Temporal CLI, a fresh home).
test('demo --out-dir that cannot be a folder is refused in one line before anything starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-demo-out-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const home = join(dir, 'home');
    const run = spawnSync(process.execPath, [BIN, 'demo', '--out-dir', join(file, 'figures')], {
      encoding: 'utf8',
      env: { ...process.env, PHASESWEEP_HOME: home, TEMPORAL_CLI: join(dir, 'no-temporal') },
      timeout: 60_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(
      run.stderr,
      `phasesweep: --out-dir ${join(file, 'figures')}: cannot write it: a part of its folder path is a file\n`,
    );
    assert.equal(existsSync(home), false, 'no stack was started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train-cell of a command cell is bad input: a program runs through a worker', () => {
  const run = spawnSync(process.execPath, [BIN, 'train-cell', '--params', '{"method": "command"}'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^phasesweep: a command cell runs its program through a worker/);
});
