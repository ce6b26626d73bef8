import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Connection, Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workers/workflow-bundle.ts';
import { createPool } from '../../store/pool.ts';
import { scheduleGridPoints } from '../../store/schedule-grid-points.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { queryRows, spawnWorker, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

// `schedule create --fresh-seeds` on a real stack (embedded Postgres, Temporal dev server, a real
// worker process), triggered three times: each run after the first trains 3 seeds no earlier run
// had, and its drift is tested against every earlier run's seeds pooled. A schedule without the
// option, triggered twice on the same spec, is all cache hits and says so. The scheduled workflow's
// history replays against the workflow code (the seed start comes from an activity).

describe('scheduled runs with fresh seeds', () => {
  let worker: WorkerProcess | undefined;
  let specFile: string;
  const session = useTestStack('fresh-seeds', async ({ env, dir }) => {
    worker = await spawnWorker(env, ['--concurrency', '2']);
    // Small and quick (d = 50, the plain-JS path): one point at chance, one learned.
    specFile = writeSpec(dir, 'fresh', {
      method: 'supervised',
      grid: { n_labels: [16], snr: [0.1, 2.0], seed: { range: [0, 2] } },
      fixed: { d: 50, m: 5, q: 3, sigma0: 0.01, lr: 1.0, steps: 200, n_test: 200 },
    });
  });
  session.onStop(() => worker?.stop());
  const cli = (...args: string[]) => runPhasesweep(args, session.env, 180_000);
  const sql = <T extends Record<string, unknown>>(text: string, args: unknown[] = []) =>
    queryRows<T>(session.stack.endpoints.databaseUrl, text, args);
  const runs = (schedule: string) =>
    sql<{ id: string; workflow_id: string; status: string; cached_cells: number }>(
      `SELECT id, workflow_id, status,
         (SELECT count(*) FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key
          WHERE c.sweep_id = s.id AND r.sweep_id <> s.id)::int AS cached_cells
       FROM sweeps s WHERE schedule_id = $1 ORDER BY created_at`,
      [schedule],
    );
  const seedsOf = async (sweepId: string) =>
    (
      await sql<{ seed: number }>('SELECT DISTINCT seed FROM sweep_cells WHERE sweep_id = $1 ORDER BY seed', [
        sweepId,
      ])
    ).map((r) => r.seed);
  const trigger = async (schedule: string) => {
    const r = await cli('schedule', 'trigger', schedule, '--wait', '--timeout', '150s');
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  it('each run adds fresh seeds, and drift tests tonight against every earlier run', async () => {
    // Checked before anything is created: the grid with that many seeds must fit the cell limit.
    const huge = await runPhasesweep(['schedule', 'create', 'huge', specFile, '--fresh-seeds', '600'], {
      ...session.env,
      PHASESWEEP_MAX_CELLS: '1000',
    });
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /--fresh-seeds 600: the grid has 1200 cells, more than the limit of 1000/);
    assert.doesNotMatch(huge.stderr, /\n\s+at /);
    const created = await cli('schedule', 'create', 'fresh', specFile, '--fresh-seeds', '3');
    assert.equal(created.code, 0, created.stderr);
    for (let run = 1; run <= 3; run++) await trigger('fresh');

    const sweeps = await runs('fresh');
    assert.deepEqual(
      sweeps.map((s) => s.status),
      ['completed', 'completed', 'completed'],
    );
    // The first run trains the spec's seeds; each later one 3 past the largest stored.
    assert.deepEqual(await seedsOf(sweeps[0].id), [0, 1]);
    assert.deepEqual(await seedsOf(sweeps[1].id), [2, 3, 4]);
    assert.deepEqual(await seedsOf(sweeps[2].id), [5, 6, 7]);
    assert.deepEqual(
      sweeps.map((s) => s.cached_cells),
      [0, 0, 0],
      'fresh seeds are never cache hits',
    );

    const drift = await sql<{
      sweep_id: string;
      baseline_sweep_id: string;
      baseline_runs: number;
      compared: number;
      retrained: number;
    }>(
      `SELECT sweep_id, baseline_sweep_id, baseline_runs, compared, retrained FROM sweep_drift
       WHERE schedule_id = 'fresh' ORDER BY recorded_at`,
    );
    assert.deepEqual(drift, [
      {
        sweep_id: sweeps[1].id,
        baseline_sweep_id: sweeps[0].id,
        baseline_runs: 1,
        compared: 2,
        retrained: 2,
      },
      {
        sweep_id: sweeps[2].id,
        baseline_sweep_id: sweeps[1].id,
        baseline_runs: 2,
        compared: 2,
        retrained: 2,
      },
    ]);
    const third = await cli('show', sweeps[2].id);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /drift against all 2 earlier runs of schedule fresh:/);
    assert.match(third.stdout, new RegExp(`0 of 2 grid points moved \\(2 earlier runs → ${sweeps[2].id}\\)`));

    // The drift command reaches the same: tonight's seeds against the earlier ones, by Welch.
    const cmd = await cli('drift', sweeps[1].id, sweeps[2].id, '--json');
    assert.equal(cmd.code, 0, cmd.stderr);
    const report = JSON.parse(cmd.stdout) as { retrained: number; tested: number; paired: number };
    assert.deepEqual([report.retrained, report.tested, report.paired], [2, 2, 0]);
  });

  it('show --all-runs reads the seeds of every run together', async () => {
    const [, , third] = await runs('fresh');
    const pool = createPool(session.stack.endpoints.databaseUrl);
    try {
      const { runs: pooled, points } = await scheduleGridPoints(pool, 'fresh');
      assert.equal(pooled, 3);
      assert.deepEqual(
        points.map((p) => [p.params?.snr, p.seeds, p.metrics.test_error.n]),
        [
          [0.1, 8, 8],
          [2, 8, 8],
        ],
      );
    } finally {
      await pool.end();
    }
    const show = await cli('show', third.id, '--all-runs');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /all 3 finished runs of schedule fresh together/);
    const json = JSON.parse((await cli('show', third.id, '--all-runs', '--json')).stdout) as {
      pooled_runs: number;
    };
    assert.equal(json.pooled_runs, 3);
  });

  it('the scheduled workflow replays from its history', async () => {
    const [, second] = await runs('fresh');
    const connection = await Connection.connect({ address: session.stack.endpoints.temporalAddress });
    try {
      const client = new Client({ connection, namespace: session.stack.endpoints.namespace });
      const parent = second.workflow_id.replace(/-sweep$/, '');
      const history = await client.workflow.getHandle(parent).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, parent);
    } finally {
      await connection.close();
    }
  });

  it('without --fresh-seeds, a rerun of the same spec is all cache hits and says so', async () => {
    const created = await cli('schedule', 'create', 'same', specFile);
    assert.equal(created.code, 0, created.stderr);
    await trigger('same');
    // trigger --wait prints the run's drift in the same words as show.
    assert.match(
      await trigger('same'),
      /^drift: nothing retrained: every cell is a cache hit \(2 grid points,/m,
    );
    const [, second] = await runs('same');
    assert.deepEqual(await seedsOf(second.id), [0, 1]);
    const [drift] = await sql<{ compared: number; retrained: number; moved: number }>(
      'SELECT compared, retrained, moved FROM sweep_drift WHERE sweep_id = $1',
      [second.id],
    );
    assert.deepEqual(drift, { compared: 2, retrained: 0, moved: 0 });
    const show = await cli('show', second.id);
    assert.match(show.stdout, /drift against the previous run of schedule same:/);
    assert.match(show.stdout, /nothing retrained: every cell is a cache hit \(2 grid points,/);
    assert.doesNotMatch(show.stdout, /grid points moved/);
    const described = await cli('schedule', 'describe', 'same');
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, new RegExp(`${second.id}.*nothing retrained \\(all cache hits\\)`));
    assert.match((await cli('schedule', 'describe', 'fresh')).stdout, /0\/2 moved vs 2 earlier runs/);
    // A sweep no schedule started has no runs to pool: one line, exit 2.
    const run = await cli('run', specFile, '--wait', '--json');
    assert.equal(run.code, 0, run.stderr);
    const { sweep_id } = JSON.parse(run.stdout) as { sweep_id: string };
    const alone = await cli('show', sweep_id, '--all-runs');
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, new RegExp(`--all-runs: sweep ${sweep_id} was not started by a schedule`));
  });
});
