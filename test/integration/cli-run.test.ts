import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { runPhasesweep, temporalBinary, useTestStack } from '../helpers/stack.ts';
import { queryRows, spawnWorker, waitFor, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

// The researcher's path end to end on a real stack (embedded Postgres, Temporal dev server) with a real
// worker process: run a small supervised grid, read it back through results/show/watch, and run it
// nightly through a Temporal Schedule. The grid is the two corners of paper-spec 6.5: SNR 1.0 is benign
// and SNR 0.1 harmful at n = 4 and 32 (d = 200, q = 3, 1000 steps), two seeds each.

const exec = promisify(execFile);

describe('run, show, watch and schedules on a real stack', () => {
  let worker: WorkerProcess | undefined;
  let specFile: string;
  let sweepId: string;
  const session = useTestStack('cli-run', async ({ env, dir }) => {
    worker = await spawnWorker(env, ['--concurrency', '2']);
    specFile = writeSpec(dir, 'corners', {
      method: 'supervised',
      grid: { n_labels: [4, 32], snr: [0.1, 1.0], seed: { range: [0, 2] } },
      fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 1000, n_test: 300 },
    });
  });
  session.onStop(() => worker?.stop());
  const cli = (...args: string[]) => runPhasesweep(args, session.env);
  const scheduledSweeps = (id: string) =>
    queryRows<{ id: string; status: string }>(
      session.stack.endpoints.databaseUrl,
      'SELECT id, status FROM sweeps WHERE schedule_id = $1 ORDER BY created_at',
      [id],
    );
  const temporalSchedules = async () =>
    (
      await exec(await temporalBinary(), [
        'schedule',
        'list',
        '--address',
        session.stack.endpoints.temporalAddress,
        '--namespace',
        session.stack.endpoints.namespace,
      ])
    ).stdout;

  it('run --wait stores a result for every cell, and results/show read them back', async () => {
    const run = await cli('run', specFile, '--wait', '--json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { sweep_id: string; status: string; counts: { total: number } };
    assert.equal(report.status, 'completed');
    assert.equal(report.counts.total, 8);
    sweepId = report.sweep_id;
    const results = await cli('results', sweepId, '--format', 'json');
    assert.equal(results.code, 0, results.stderr);
    const rows = JSON.parse(results.stdout) as { test_error: number | null }[];
    assert.equal(rows.length, 8);
    assert.ok(rows.every((r) => typeof r.test_error === 'number'));

    const show = await cli('show', sweepId);
    assert.equal(show.code, 0, show.stderr);
    const cellsOf = (n: string) =>
      show.stdout
        .split('\n')
        .find((l) => l.trimStart().startsWith(`${n} `))!
        .replace(/snr\*.*/, '')
        .trim()
        .split(/[\s│]+/)
        .slice(1)
        .map(Number);
    const [harmful, benign] = [cellsOf('4')[0]!, cellsOf('32')[1]!];
    assert.ok(harmful >= 0.4, `n=4, SNR 0.1 harmful: ${show.stdout}`);
    assert.ok(benign <= 0.05, `n=32, SNR 1 benign: ${show.stdout}`);
  });

  it('watch on a finished sweep prints its final state; run --watch on the same spec is all cache hits', async () => {
    const watch = await cli('watch', sweepId, '--json');
    assert.equal(watch.code, 0, watch.stderr);
    const last = JSON.parse(watch.stdout.trim().split('\n').at(-1)!) as { status: string };
    assert.equal(last.status, 'completed');
    const again = await cli('run', specFile, '--watch');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /mean test_error over seeds/);
    assert.match(again.stdout, /status completed: 8\/8 done \(8 cached, 0 failed\)/);
    assert.equal((await cli('watch', 'no-such-sweep')).code, 2);
  });

  it('a bad spec exits 2 naming the file and the path inside it', async () => {
    const bad = join(session.dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nmethod: supervised\ngrid:\n  snr: {geomspace: [0.1, 1.0]}\n');
    for (const args of [
      ['run', bad, '--wait'],
      ['schedule', 'create', 'bad-one', bad],
    ]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /bad\.yaml/);
      assert.match(r.stderr, /grid\.snr\.geomspace/);
    }
  });

  it('a schedule is created in Temporal, triggered runs are tagged sweeps with drift recorded, delete removes it', async () => {
    const created = await cli('schedule', 'create', 'cli-nightly', specFile, '--cron', '0 2 * * *', '--json');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { schedule_id: string }).schedule_id, 'cli-nightly');
    assert.match(await temporalSchedules(), /cli-nightly/);
    const ls = JSON.parse((await cli('schedule', 'ls', '--json')).stdout) as { schedule_id: string }[];
    assert.deepEqual(
      ls.map((s) => s.schedule_id),
      ['cli-nightly'],
    );

    for (let run = 1; run <= 2; run++) {
      const trigger = await cli('schedule', 'trigger', 'cli-nightly');
      assert.equal(trigger.code, 0, trigger.stderr);
      await waitFor(
        `scheduled run ${run}`,
        async () => {
          const sweeps = await scheduledSweeps('cli-nightly');
          return sweeps.length === run && sweeps.every((s) => s.status === 'completed');
        },
        120_000,
      );
    }
    const [first, second] = await scheduledSweeps('cli-nightly');
    await waitFor('drift record', async () => {
      const rows = await queryRows(
        session.stack.endpoints.databaseUrl,
        'SELECT 1 FROM sweep_drift WHERE sweep_id = $1',
        [second!.id],
      );
      return rows.length === 1;
    });
    const [drift] = await queryRows<{ baseline_sweep_id: string; compared: number; moved: number }>(
      session.stack.endpoints.databaseUrl,
      'SELECT baseline_sweep_id, compared, moved FROM sweep_drift WHERE sweep_id = $1',
      [second!.id],
    );
    assert.deepEqual(drift, { baseline_sweep_id: first!.id, compared: 4, moved: 0 });
    assert.match(
      (await cli('show', second!.id)).stdout,
      /drift against the previous run of schedule cli-nightly/,
    );

    const described = JSON.parse((await cli('schedule', 'describe', 'cli-nightly', '--json')).stdout) as {
      actions_taken: number;
      sweeps: unknown[];
    };
    assert.equal(described.actions_taken, 2);
    assert.equal(described.sweeps.length, 2);

    for (const [args, message] of [
      [['--from', '2026-11-21T00:00:00Z', '--to', '2026-11-20T00:00:00Z'], /--to \S+ must be after --from/],
      [['--from', 'yesterday', '--to', '2026-11-20T00:00:00Z'], /--from 'yesterday': expected an ISO date/],
      [['--from', '2026-11-20T00:00:00Z', '--to', '2026-11-21T00:00:00Z', '--overlap', 'some'], /--overlap/],
    ] as const) {
      const bad = await cli('schedule', 'backfill', 'cli-nightly', ...args);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, message);
    }
    // One day at '0 2 * * *': one more run.
    const backfill = await cli(
      'schedule',
      'backfill',
      'cli-nightly',
      '--from',
      '2026-11-20T00:00:00Z',
      '--to',
      '2026-11-21T00:00:00Z',
    );
    assert.equal(backfill.code, 0, backfill.stderr);
    assert.match(backfill.stdout, /schedule cli-nightly: backfill requested/);
    await waitFor(
      'the backfilled run',
      async () => {
        const sweeps = await scheduledSweeps('cli-nightly');
        return sweeps.length === 3 && sweeps.every((s) => s.status === 'completed');
      },
      120_000,
    );
    assert.equal((await cli('schedule', 'pause', 'cli-nightly')).code, 0);
    const deleted = await cli('schedule', 'delete', 'cli-nightly');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.doesNotMatch(await temporalSchedules(), /cli-nightly/);
    assert.equal((await cli('schedule', 'trigger', 'cli-nightly')).code, 2);
  });
});
