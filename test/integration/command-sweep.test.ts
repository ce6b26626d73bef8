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
import {
  queryRows,
  spawnWorker,
  stackEnv,
  waitFor,
  writeSpec,
  type WorkerProcess,
} from '../helpers/sweeps.ts';

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
    // the program is the sweep's: stored params hold the method, the seed and the user's parameters
    assert.ok(cells.every((c) => c.params.method === 'command' && c.params.command === undefined));
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

  it('results, export and show list the command results with their metrics by name and the code hash', async () => {
    const hash = await codeHash(dir, ['train.py']);
    const results = await cli('results', sweepId, '--format', 'json');
    assert.equal(results.code, 0, results.stderr);
    const rows = JSON.parse(results.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 4);
    const stored = await db<{ cell_key: string; metrics: Record<string, number> }>(
      `SELECT c.cell_key, r.metrics FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1`,
      [sweepId],
    );
    for (const row of rows) {
      const metrics = stored.find((s) => s.cell_key === row.cell_key)!.metrics;
      assert.equal(row.method, 'command');
      assert.equal(row.status, 'done');
      assert.equal(row.code_hash, hash);
      assert.ok([8, 64].includes(row.n_labels as number));
      for (const name of ['test_error', 'test_loss', 'train_loss']) assert.equal(row[name], metrics[name]);
    }
    const csv = await cli('export', sweepId, '--format', 'csv');
    assert.equal(csv.code, 0, csv.stderr);
    const [header, ...lines] = csv.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    for (const column of ['sweep_id', 'n_labels', 'snr', 'seed', 'test_error', 'test_loss', 'code_hash'])
      assert.ok(header.split(',').includes(column), header);
    const show = await cli('show', sweepId);
    assert.equal(show.code, 0, show.stderr);
    // the program, then the phase diagram of its first listed metric over its own parameters
    assert.match(show.stdout, /program\s+python3 train\.py/);
    assert.match(show.stdout, /mean test_error over seeds/);
    const showJson = JSON.parse((await cli('show', sweepId, '--json')).stdout) as {
      panels: unknown[];
    };
    assert.ok(showJson.panels.length > 0);
    // run --watch ends with the same summary and diagram (all cache hits now)
    const watched = await cli('run', specFile, '--watch');
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /4\/4 done \(4 cached, 0 failed\)/);
    assert.match(watched.stdout, /mean test_error over seeds/);
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

  it('a schedule over a command spec retrains exactly when the program changed', async () => {
    const created = await cli('schedule', 'create', 'cmd-nightly', specFile, '--cron', '0 2 * * *');
    assert.equal(created.code, 0, created.stderr);
    const scheduled = () =>
      db<{ id: string; status: string; counts: Report['counts'] }>(
        `SELECT s.id, s.status, to_jsonb(c) AS counts FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c
         WHERE s.schedule_id = 'cmd-nightly' ORDER BY s.created_at`,
      );
    const triggerAndWait = async (runs: number) => {
      const trigger = await cli('schedule', 'trigger', 'cmd-nightly');
      assert.equal(trigger.code, 0, trigger.stderr);
      await waitFor(
        `scheduled run ${runs}`,
        async () => {
          const sweeps = await scheduled();
          return sweeps.length === runs && sweeps[runs - 1].status === 'completed';
        },
        240_000,
      );
      return (await scheduled())[runs - 1];
    };
    const first = await triggerAndWait(1);
    assert.equal(first.counts.cached, 4, JSON.stringify(first));
    appendFileSync(join(dir, 'train.py'), '#');
    const second = await triggerAndWait(2);
    assert.equal(second.counts.cached, 0, JSON.stringify(second));
    assert.equal(second.counts.done, 4);
    assert.equal((await cli('schedule', 'delete', 'cmd-nightly')).code, 0);
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

  it('exit 75 is retried and the next attempt resumes from the checkpoint; exit 65 fails at once', async () => {
    writeFileSync(
      join(dir, 'flaky.sh'),
      [
        'read -r input',
        'if [ "$PHASESWEEP_ATTEMPT" = 1 ]; then',
        // A progress event's heartbeat goes out at once; the checkpoint's, right after it, is held back
        // by the heartbeat throttle until the attempt has failed: it must reach the retry all the same.
        '  echo "{\\"type\\":\\"progress\\",\\"step\\":1,\\"metrics\\":{}}" >>"$PHASESWEEP_EVENTS"',
        '  echo "{\\"type\\":\\"checkpoint\\",\\"path\\":\\"$PHASESWEEP_OUT_DIR/ckpt\\"}" >>"$PHASESWEEP_EVENTS"',
        '  echo "temporary trouble" >&2',
        '  exit 75',
        'fi',
        'case "$input" in *"\\"resume_from\\":\\"$PHASESWEEP_OUT_DIR/ckpt\\""*) r=1 ;; *) r=0 ;; esac',
        'echo "{\\"type\\":\\"result\\",\\"metrics\\":{\\"loss\\":0.5,\\"resumed\\":$r}}" >>"$PHASESWEEP_EVENTS"',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'bad-input.sh'), 'echo "lr out of range" >&2\nexit 65\n');
    const flaky = writeSpec(dir, 'flaky', {
      method: 'command',
      command: { argv: ['sh', 'flaky.sh'], metrics: ['loss'], code: ['flaky.sh'], grace: '2s' },
      grid: { lr: [0.5] },
    });
    const retried = await run(flaky);
    assert.deepEqual(retried.counts, { total: 1, done: 1, cached: 0, failed: 0, pending: 0 });
    const [result] = await db<{ metrics: Record<string, number> }>(
      'SELECT r.metrics FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1',
      [retried.sweep_id],
    );
    assert.deepEqual(result.metrics, { loss: 0.5, resumed: 1 });

    const bad = writeSpec(dir, 'bad-input', {
      method: 'command',
      command: { argv: ['sh', 'bad-input.sh'], metrics: ['loss'], code: ['bad-input.sh'], grace: '2s' },
      grid: { lr: [0.5] },
    });
    const failed = await run(bad);
    assert.equal(failed.counts.failed, 1);
    const [failure] = await db<{ attempt: number; error: string; log_tail: string }>(
      'SELECT attempt, error, log_tail FROM failures WHERE sweep_id = $1',
      [failed.sweep_id],
    );
    assert.equal(failure.attempt, 1);
    assert.match(failure.error, /^failed: exited with 65/);
    assert.match(failure.log_tail, /lr out of range/);
  });

  it('persistent: true serves every cell from one process per slot, with the same results', async () => {
    const persistent = writeSpec(dir, 'numpy-cnn-persistent', {
      method: 'command',
      command: {
        argv: ['python3', 'train.py'],
        metrics: ['test_error', 'test_loss', 'train_loss'],
        code: ['train.py'],
        // another listed env: other keys, so the cells are trained again rather than found
        env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MODE: 'persistent' },
        persistent: true,
        grace: '5s',
      },
      grid: { n_labels: [8, 64], snr: [0.1, 1.0], seed: [0] },
      fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 200, n_test: 300 },
    });
    const report = await run(persistent);
    assert.deepEqual(report.counts, { total: 4, done: 4, cached: 0, failed: 0, pending: 0 });
    const metricsOf = async (sweep: string) =>
      (
        await db<{ params: Record<string, unknown>; metrics: Record<string, number> }>(
          `SELECT c.params, r.metrics FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1`,
          [sweep],
        )
      )
        .map((row) => `${row.params.n_labels} ${row.params.snr} ${JSON.stringify(row.metrics)}`)
        .sort();
    assert.deepEqual(await metricsOf(report.sweep_id), await metricsOf(sweepId));
    const starts = await exec('sh', ['-c', `ls -d ${stack.home}/command-slots-*/process-* | wc -l`]);
    assert.ok(Number(starts.stdout.trim()) <= 2, `at most one process per slot: ${starts.stdout}`);
  });

  it('worker --gpus: each cell gets resources.gpus GPUs of a stand-in nvidia-smi, concurrent cells disjoint ones', async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const uuids = ['GPU-0a', 'GPU-1b', 'GPU-2c', 'GPU-3d'];
    writeFileSync(
      join(bin, 'nvidia-smi'),
      `#!/bin/sh\n${uuids.map((u, i) => `echo "GPU ${i}: Stand-in GPU (UUID: ${u})"`).join('\n')}\n`,
      { mode: 0o755 },
    );
    const seen = join(dir, 'gpus-seen.txt');
    writeFileSync(
      join(dir, 'gpu.sh'),
      [
        'read -r input',
        'start=$(date +%s%N)',
        'sleep 1',
        `echo "$CUDA_VISIBLE_DEVICES $start $(date +%s%N)" >>${seen}`,
        'echo "@@phasesweep {\\"type\\":\\"result\\",\\"metrics\\":{\\"loss\\":1}}"',
        '',
      ].join('\n'),
    );
    const gpuWorker = await spawnWorker({ ...env, PATH: `${bin}:${process.env.PATH}` }, [
      '--queue',
      'train-gpu',
      '--gpus',
      'all',
    ]);
    try {
      const spec = writeSpec(dir, 'gpu-slots', {
        method: 'command',
        command: { argv: ['sh', 'gpu.sh'], metrics: ['loss'], code: ['gpu.sh'], grace: '2s' },
        grid: { cell: [1, 2, 3, 4, 5, 6] },
        resources: { queue: 'train-gpu', gpus: 2 },
      });
      assert.equal((await run(spec)).counts.done, 6);
    } finally {
      await gpuWorker.stop();
    }
    const { readFileSync } = await import('node:fs');
    const cells = readFileSync(seen, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [devices, start, end] = line.split(' ');
        return { gpus: devices.split(','), start: BigInt(start), end: BigInt(end) };
      });
    assert.equal(cells.length, 6);
    let overlaps = 0;
    for (const [i, a] of cells.entries()) {
      assert.equal(a.gpus.length, 2);
      assert.ok(
        a.gpus.every((g) => uuids.includes(g)),
        a.gpus.join(','),
      );
      for (const b of cells.slice(i + 1)) {
        if (a.start < b.end && b.start < a.end) {
          overlaps++;
          assert.deepEqual(
            a.gpus.filter((g) => b.gpus.includes(g)),
            [],
            'cells that ran at the same time shared a GPU',
          );
        }
      }
    }
    // two slots of two GPUs: the six cells ran two at a time
    assert.ok(overlaps > 0, 'no two cells ran at once');
  });

  it('cancelling the sweep ends the program and its children', async () => {
    const pids = join(dir, 'hang.pids');
    writeFileSync(join(dir, 'hang.sh'), `sleep 1000 &\necho "$$ $!" >${pids}\nwait\n`);
    const spec = writeSpec(dir, 'hang', {
      method: 'command',
      command: { argv: ['sh', 'hang.sh'], metrics: ['loss'], code: ['hang.sh'], grace: '1s' },
      grid: { lr: [0.5] },
    });
    const started = await cli('run', spec, '--json');
    assert.equal(started.code, 0, started.stderr);
    const { sweep_id } = JSON.parse(started.stdout) as Report;
    const { existsSync, readFileSync } = await import('node:fs');
    await waitFor(
      'the program to start',
      async () => existsSync(pids) && readFileSync(pids, 'utf8').includes(' '),
      120_000,
    );
    const running = readFileSync(pids, 'utf8').trim().split(' ');
    assert.ok(running.every((pid) => existsSync(`/proc/${pid}`)));
    const cancel = await cli('cancel', sweep_id);
    assert.equal(cancel.code, 0, cancel.stderr);
    await waitFor(
      'the program and its child to end',
      async () => running.every((pid) => !existsSync(`/proc/${pid}`)),
      120_000,
    );
  });

  it('a program that is not there is one line naming the spec, exit 2, for run and schedule create', async () => {
    const missing = writeSpec(dir, 'missing-code', {
      method: 'command',
      command: { argv: ['python3', 'gone.py'], metrics: ['loss'], code: ['gone.py'] },
      grid: { lr: [0.5] },
    });
    const nowhere = writeSpec(dir, 'missing-cwd', {
      method: 'command',
      command: { argv: ['python3', 'train.py'], metrics: ['loss'], cwd: 'nowhere' },
      grid: { lr: [0.5] },
    });
    for (const [args, expected] of [
      [['run', missing, '--wait'], /missing-code\.yaml: command\.code: gone\.py does not exist/],
      [['run', missing, '--dry-run'], /missing-code\.yaml: command\.code: gone\.py does not exist/],
      [
        ['schedule', 'create', 'cmd-missing', missing],
        /missing-code\.yaml: command\.code: gone\.py does not exist/,
      ],
      [['run', nowhere, '--wait'], /missing-cwd\.yaml: command\.cwd: .*nowhere is not a folder/],
    ] as const) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
