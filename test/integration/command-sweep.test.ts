import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codeHash } from '../../workers/command/code-hash.ts';
import { runPhasesweep, startTestStack } from '../helpers/stack.ts';
import { queryRows, spawnWorker, stackEnv, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

// method: command end to end on a real stack with a real worker process: the numpy CNN of
// examples/command/numpy-cnn swept over a small grid, its results stored by name with the code hash,
// the same test errors as running the program by hand, the cache keyed by the listed code only, and a
// failure's log tail read back by `phasesweep logs`.

const exec = promisify(execFile);
const EXAMPLE = fileURLToPath(new URL('../../examples/command/numpy-cnn/train.py', import.meta.url));

interface Report {
  sweep_id: string;
  status: string;
  counts: { total: number; done: number; cached: number; failed: number; pending: number };
}

describe('method: command sweeps on a real stack', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let worker: WorkerProcess;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let specFile: string;
  let sweepId: string;
  const cli = (...args: string[]) => runPhasesweep(args, { ...env, NO_COLOR: '1' }, 300_000);
  const run = async (spec: string): Promise<Report> => {
    const r = await cli('run', spec, '--wait', '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };
  const db = <T extends Record<string, unknown>>(sql: string, args: unknown[] = []) =>
    queryRows<T>(stack.endpoints.databaseUrl, sql, args);

  before(async () => {
    stack = await startTestStack();
    env = stackEnv(stack.endpoints, stack.home);
    worker = await spawnWorker(env, ['--concurrency', '2']);
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-command-'));
    copyFileSync(EXAMPLE, join(dir, 'train.py'));
    writeFileSync(join(dir, 'notes.txt'), 'not part of the code\n');
    specFile = writeSpec(dir, 'numpy-cnn', {
      method: 'command',
      command: {
        argv: ['python3', 'train.py'],
        metrics: ['test_error', 'test_loss', 'train_loss'],
        code: ['train.py'],
        env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
        timeout: '5m',
        grace: '5s',
      },
      grid: { n_labels: [8, 64], snr: [0.1, 1.0], seed: [0] },
      fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 200, n_test: 300 },
    });
  });
  after(async () => {
    await worker?.stop();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run --dry-run expands the grid with the code hash: 4 cells to train', async () => {
    const dry = await cli('run', specFile, '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /cells\s+4 \(0 already stored: cache hits; 4 to train\)/);
  });

  it('run stores every cell with its metrics by name and the code hash', async () => {
    const report = await run(specFile);
    assert.equal(report.status, 'completed', JSON.stringify(report));
    assert.deepEqual(report.counts, { total: 4, done: 4, cached: 0, failed: 0, pending: 0 });
    sweepId = report.sweep_id;
    const rows = await db<{ metrics: Record<string, number>; code_hash: string; test_error: null }>(
      `SELECT r.metrics, r.code_hash, r.test_error FROM sweep_cells c JOIN results r USING (cell_key)
       WHERE c.sweep_id = $1`,
      [sweepId],
    );
    const hash = await codeHash(dir, ['train.py']);
    assert.equal(rows.length, 4);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row.metrics).sort(), ['test_error', 'test_loss', 'train_loss']);
      assert.equal(row.code_hash, hash);
      assert.equal(row.test_error, null);
    }
    const cells = await db<{ n_labels: null; params: Record<string, unknown> }>(
      'SELECT n_labels, params FROM sweep_cells WHERE sweep_id = $1',
      [sweepId],
    );
    assert.ok(cells.every((c) => c.n_labels === null && c.params.n_labels !== undefined));
    const curves = await db<{ n: number }>(
      `SELECT count(*)::int AS n FROM curves WHERE metrics ? 'test_error' AND cell_key IN
       (SELECT cell_key FROM sweep_cells WHERE sweep_id = $1)`,
      [sweepId],
    );
    // 10 progress events per cell
    assert.equal(curves[0].n, 40);
  });

  it('gives the same test errors as running the program by hand on each cell', async () => {
    const rows = await db<{
      cell_key: string;
      params: Record<string, unknown>;
      metrics: Record<string, number>;
    }>(
      `SELECT c.cell_key, c.params, r.metrics FROM sweep_cells c JOIN results r USING (cell_key)
       WHERE c.sweep_id = $1 ORDER BY c.ordinal`,
      [sweepId],
    );
    for (const row of rows) {
      const { method: _m, seed, command: _c, ...params } = row.params;
      const out = mkdtempSync(join(dir, 'by-hand-'));
      const events = join(out, 'events.ndjson');
      const input = {
        protocol: 1,
        cell_key: row.cell_key,
        params,
        seed,
        attempt: 1,
        out_dir: out,
        resume_from: null,
      };
      const child = exec('python3', ['train.py'], {
        cwd: dir,
        env: { ...process.env, PHASESWEEP_EVENTS: events },
      });
      child.child.stdin!.end(`${JSON.stringify(input)}\n`);
      await child;
      const { readFileSync } = await import('node:fs');
      const result = readFileSync(events, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; metrics: Record<string, number> })
        .find((event) => event.type === 'result')!;
      assert.deepEqual(row.metrics, result.metrics, `cell ${JSON.stringify(params)}`);
    }
  });

  it('a second run is all cache hits; editing another file changes nothing; editing the code retrains all', async () => {
    assert.deepEqual((await run(specFile)).counts, { total: 4, done: 4, cached: 4, failed: 0, pending: 0 });
    appendFileSync(join(dir, 'notes.txt'), 'x');
    assert.equal((await run(specFile)).counts.cached, 4);
    appendFileSync(join(dir, 'train.py'), '#');
    const edited = await run(specFile);
    assert.deepEqual(edited.counts, { total: 4, done: 4, cached: 0, failed: 0, pending: 0 });
    const hashes = await db<{ code_hash: string }>(
      `SELECT DISTINCT r.code_hash FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1`,
      [edited.sweep_id],
    );
    assert.deepEqual(
      hashes.map((h) => h.code_hash),
      [await codeHash(dir, ['train.py'])],
    );
  });

  it('a program that exits 0 without a result is one protocol failure, not retried, and logs prints its tail', async () => {
    writeFileSync(
      join(dir, 'silent.sh'),
      'echo "starting the silent trainer"\necho "lost my result" >&2\nexit 0\n',
    );
    const spec = writeSpec(dir, 'silent', {
      method: 'command',
      command: { argv: ['sh', 'silent.sh'], metrics: ['loss'], code: ['silent.sh'], grace: '2s' },
      grid: { lr: [0.5] },
    });
    const r = await cli('run', spec, '--wait', '--json');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.status, 'completed_with_failures', r.stderr);
    assert.equal(report.counts.failed, 1);
    const [failure] = await db<{ cell_key: string; attempt: number; error: string; log_tail: string }>(
      'SELECT cell_key, attempt, error, log_tail FROM failures WHERE sweep_id = $1',
      [report.sweep_id],
    );
    assert.equal(failure.attempt, 1);
    assert.match(failure.error, /protocol_failure: protocol: exited 0 without a result event/);
    assert.match(failure.log_tail, /lost my result/);
    const logs = await cli('logs', report.sweep_id, failure.cell_key.slice(0, 10));
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /starting the silent trainer/);
    assert.match(logs.stdout, /lost my result/);
    const unknown = await cli('logs', report.sweep_id, 'ffffffffff');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
  });
});
