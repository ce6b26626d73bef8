// `phasesweep X | head` for every command that prints more than a line: when the reader goes away the
// command stops quietly with exit 0 (as `git log | head` does), never an unhandled EPIPE with a stack
// trace. The reader here closes its end before the command writes anything, so every write fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type pg from 'pg';
import { createPool } from '../../store/pool.ts';
import { loadSyntheticSweeps } from '../helpers/store-fixtures.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { writeSpec } from '../helpers/sweeps.ts';

const BIN = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url));

let pool: pg.Pool;
let sweeps: string[];
const session = useTestStack('pipe', async ({ stack, dir, env }) => {
  pool = createPool(stack.endpoints.databaseUrl);
  sweeps = (await loadSyntheticSweeps(pool, { results: 400, seeds: 2, curvePointsPerResult: 2 })).sweepIds;
  // Finished sweeps: `watch` prints their outcome at once.
  await pool.query(`UPDATE sweeps SET status = 'completed'`);
  const spec = writeSpec(dir, 'pipe', { method: 'noop', grid: { seed: { range: [0, 2] } } });
  const created = await runPhasesweep(['schedule', 'create', 'pipe-nightly', spec, '--paused'], env);
  assert.equal(created.code, 0, created.stderr);
});
session.onStop(() => pool?.end());

function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...session.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('every command that prints more than a line exits 0 quietly when its reader goes away', async () => {
  const [a, b] = sweeps;
  const commands = [
    ['ls'],
    ['ls', '--json'],
    ['show', a],
    ['show', a, '--json'],
    ['results', a],
    ['results', a, '--format', 'csv'],
    ['export', a],
    ['export', a, '--format', 'json'],
    ['drift', a, b],
    ['drift', a, b, '--json'],
    ['watch', a],
    ['watch', a, '--json'],
    ['status'],
    ['schedule', 'ls'],
    ['schedule', 'describe', 'pipe-nightly'],
    ['--help'],
    ['run', '--help'],
  ];
  for (const args of commands) {
    const { code, stderr } = await intoClosedPipe(args);
    assert.equal(code, 0, `phasesweep ${args.join(' ')} exited ${code}: ${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|\n\s+at /, `phasesweep ${args.join(' ')}`);
  }
});
