// refine: with seeds and trace, interrupted twice in one sweep: its worker SIGKILLed during round 1
// (a second worker takes over), then the Temporal dev server SIGKILLed during round 2 and restarted on
// the same port and database file. The sweep ends with the rounds, traced rows, seeds and boundaries
// an uninterrupted run of the same spec finds, every cell stored once and trained by this sweep, and
// verify passes. One sweep for both faults, so the worker kill costs this file only a restart's wait.
// About 3-5 min.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { readState } from '../../infra/local/state.ts';
import { awaitSweep, queryProgress } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import {
  cellsPerRound,
  checkSeededTraced,
  seededTracedSpec,
  showJson,
  storedCells,
  type ShownBoundary,
} from '../helpers/refined-sweep.ts';
import { queryRows, resultCount, spawnWorker, waitFor, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete, faultStack, killTemporal, restartTemporal } from '../helpers/faults.ts';

const f = faultStack('refine');
// The grid's cells: round 1 is under way once more than these are done.
const GRID_CELLS = 16;

test(
  'worker and Temporal killed mid-round: the same rounds and boundaries, nothing trained twice',
  { timeout: 900_000 },
  async () => {
    const { env, databaseUrl: db, stack } = f;
    // Seeds of their own (no cache hits from other tests) and slow batches, so a round lasts seconds.
    const spec = parseSpecText(
      stringify({ name: 'refine-restart', ...seededTracedSpec(20) }),
      'refine-restart.yaml',
    );
    const slow = { ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' };
    const first = await spawnWorker(slow, ['--concurrency', '1']);
    let worker = first;
    const { client, close } = await connectClient(stack.endpoints.temporalAddress, stack.endpoints.namespace);
    try {
      // A short heartbeat timeout, so that the killed worker's batch is retried within seconds.
      const started = await startSweep(client, spec, { heartbeatTimeoutMs: 3000 });
      const roundUnderWay = (round: number, done: number) =>
        waitFor(
          `round ${round} under way`,
          async () => {
            const p = await queryProgress(started.handle).catch(() => undefined);
            return (p?.refine?.round ?? 0) >= round && p!.done > done;
          },
          300_000,
        );
      await roundUnderWay(1, GRID_CELLS);
      first.child.kill('SIGKILL');
      await first.stop();
      const atWorkerKill = await resultCount(db, started.sweepId);
      assert.ok(atWorkerKill > GRID_CELLS, `worker killed mid-refinement (${atWorkerKill} stored)`);
      worker = await spawnWorker(slow, ['--concurrency', '1']);

      await roundUnderWay(2, atWorkerKill);
      const portBefore = readState(stack.home).temporal?.port;
      await killTemporal(stack.home);
      const atKill = await resultCount(db, started.sweepId);
      assert.ok(atKill > atWorkerKill, `Temporal killed in a later round (${atKill} stored)`);
      await restartTemporal(stack.home);
      assert.equal(readState(stack.home).temporal?.port, portBefore, 'restarted on the same port');

      const end = await awaitSweep(started.handle);
      assert.equal(end.outcome === 'finished' && end.summary.status, 'completed', JSON.stringify(end));
      assert.ok(worker.child.exitCode === null, `the worker rode out the outage:\n${worker.output()}`);

      // One result per cell key, each trained by this sweep: no round registered or trained twice.
      const rounds = await cellsPerRound(db, started.sweepId);
      const total = rounds.reduce((a, b) => a + b, 0);
      assert.ok(total > atKill, `the sweep went on after the restart (${atKill} of ${total})`);
      await assertComplete(env, db, started.sweepId, total);
      const [trained] = await queryRows<{ n: number; keys: number }>(
        db,
        'SELECT count(*)::int AS n, count(DISTINCT cell_key)::int AS keys FROM results WHERE sweep_id = $1',
        [started.sweepId],
      );
      assert.deepEqual(trained, { n: total, keys: total });
      const interrupted = (await showJson(started.sweepId, env)).boundaries as (ShownBoundary & {
        traced: boolean;
      })[];
      checkSeededTraced(interrupted, await storedCells(db, started.sweepId));

      // The same spec uninterrupted, from the stored results: the same rounds, the same boundaries.
      const rerun = await runPhasesweep(
        ['run', writeSpec(f.dir, 'refine-restart', seededTracedSpec(20)), '--wait', '--json'],
        env,
        300_000,
      );
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      const clean = JSON.parse(rerun.stdout.trim().split('\n').at(-1)!) as {
        sweep_id: string;
        counts: { total: number; cached: number };
      };
      assert.deepEqual([clean.counts.total, clean.counts.cached], [total, total]);
      assert.deepEqual(await cellsPerRound(db, clean.sweep_id), rounds);
      assert.deepEqual((await showJson(clean.sweep_id, env)).boundaries, interrupted);
    } finally {
      await close();
      await worker.stop();
      await first.stop();
    }
  },
);
