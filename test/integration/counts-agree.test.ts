// One definition of a sweep's counts, read by every command: in each of the five situations that used
// to disagree (running, cancelled, interrupted with its only worker killed, all cached, continued as
// new) the --json counts of ls, show, watch, verify, results, run, schedule describe and the Grafana
// Operations panels are compared. Real stack, real worker processes, noop cells; about 4 minutes on a quiet machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import pg from 'pg';
import { recentSweeps, runningSweeps } from '../../dashboards/queries/operations.ts';
import type { SweepCounts } from '../../store/sweep-counts.ts';
import { batchCells } from '../../sweep/batches.ts';
import { expandCells } from '../../sweep/cells.ts';
import { loadSpecFile } from '../../infra/spec-file.ts';
import { awaitSweep, queryProgress } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { expand } from '../helpers/dashboard-panels.ts';
import { spawnWorker, waitFor, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

const BIN = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url));
const CELLS = 12;
const TIMEOUT_MS = 900_000;

let db: pg.Pool;
const workers: WorkerProcess[] = [];
const session = useTestStack('counts', async ({ stack }) => {
  db = new pg.Pool({ connectionString: stack.endpoints.databaseUrl, max: 2 });
});
session.onStop(() => db?.end());
session.onStop(async () => {
  for (const w of workers) await w.stop();
});

// Cells are keyed by their parameters, not the sweep's name: each spec gets its own SNR so that one
// sweep's results are not another's cache hits.
function noopSpec(name: string, snr: number): string {
  return writeSpec(session.dir, name, {
    method: 'noop',
    grid: { snr: [snr], seed: { range: [0, CELLS] } },
    resources: { batch_size: 2, max_in_flight: 2 },
  });
}

async function cli(...args: string[]): Promise<unknown> {
  const run = await runPhasesweep(args, session.env);
  assert.ok(run.code === 0 || (args[0] === 'verify' && run.code === 1), `${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

// The first line `watch --json` prints (a progress reading of a running sweep, or the final object
// of a finished one); the watcher is stopped after it.
function watchFirstLine(sweepId: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [BIN, 'watch', sweepId, '--json'], {
    env: { ...process.env, ...session.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`watch printed nothing within 60 s: ${err}`));
    }, 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(JSON.parse(out.slice(0, newline)) as Record<string, unknown>);
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (!out.includes('\n')) reject(new Error(`watch exited without output: ${err}`));
    });
  });
}

const pick = (o: Record<string, unknown>): SweepCounts => ({
  total: Number(o.total),
  done: Number(o.done),
  cached: Number(o.cached),
  failed: Number(o.failed),
  pending: Number(o.pending),
});

async function grafanaCounts(sweepId: string, running: boolean): Promise<Record<string, SweepCounts>> {
  const panels = { recent_sweeps: recentSweeps, ...(running ? { running_sweeps: runningSweeps } : {}) };
  const found: Record<string, SweepCounts> = {};
  for (const [name, panel] of Object.entries(panels)) {
    const { rows } = await db.query<Record<string, unknown>>(expand(panel.sql, {}));
    const row = rows.find((r) => r.id === sweepId);
    assert.ok(row, `grafana ${name} lists ${sweepId}`);
    found[`grafana ${name}`] = pick(row);
  }
  return found;
}

// Every command's counts of the sweep; they must all be one and the same.
async function countsEverywhere(
  sweepId: string,
  opts: { running?: boolean; schedule?: string } = {},
): Promise<SweepCounts> {
  const ls = (await cli('ls', '--json')) as { id: string; counts: SweepCounts }[];
  const show = (await cli('show', sweepId, '--json')) as { sweep: { counts: SweepCounts } };
  const verify = (await cli('verify', sweepId, '--json')) as { counts: SweepCounts };
  const results = (await cli('results', sweepId)) as { status: string; cached: boolean }[];
  const watched = await watchFirstLine(sweepId);
  const seen: Record<string, SweepCounts> = {
    ls: ls.find((s) => s.id === sweepId)!.counts,
    show: show.sweep.counts,
    verify: verify.counts,
    results: {
      total: results.length,
      done: results.filter((r) => r.status === 'done').length,
      cached: results.filter((r) => r.cached).length,
      failed: results.filter((r) => r.status === 'failed').length,
      pending: results.filter((r) => r.status === 'pending').length,
    },
    watch: watched.counts as SweepCounts,
    ...(await grafanaCounts(sweepId, opts.running ?? false)),
  };
  if (opts.schedule) {
    const described = (await cli('schedule', 'describe', opts.schedule, '--json')) as {
      sweeps: { id: string; counts: SweepCounts }[];
    };
    seen['schedule describe'] = described.sweeps.find((s) => s.id === sweepId)!.counts;
  }
  for (const [where, counts] of Object.entries(seen)) assert.deepEqual(counts, seen.ls, where);
  const c = seen.ls;
  assert.equal(c.done + c.failed + c.pending, c.total);
  return c;
}

// Every batch but the hung one (a batch may hold one or two cells) has stored its results.
async function settled(sweepId: string): Promise<void> {
  let last = -1;
  await waitFor(`${sweepId} to reach its hung batch`, async () => {
    const { done } = await storedCounts(sweepId);
    const still = done === last && done >= CELLS - 2;
    last = done;
    if (!still) await new Promise((r) => setTimeout(r, 1_500));
    return still;
  });
}

async function storedCounts(sweepId: string): Promise<SweepCounts> {
  return (await db.query<SweepCounts>('SELECT * FROM sweep_counts($1)', [sweepId])).rows[0];
}

test(
  'running, continued-as-new and cancelled sweeps show the same counts everywhere',
  { timeout: TIMEOUT_MS },
  async () => {
    const aFile = noopSpec('counts-running', 0.1);
    const cFile = noopSpec('counts-continued', 0.2);
    const a = await loadSpecFile(aFile);
    const c = await loadSpecFile(cFile);
    // One batch of each sweep hangs (for minutes: far beyond this test) so that the counts hold still
    // while the sweep runs; for c it is the last batch, reached only after continuing as new.
    const hang = [expandCells(a)[0].key, batchCells(expandCells(c), 2).flat().at(-1)!.key];
    const worker = await spawnWorker({ ...session.env, PHASESWEEP_FAULT_HANG_CELLS: hang.join(',') }, [
      '--concurrency',
      '4',
    ]);
    workers.push(worker);

    const started = (await cli('run', aFile, '--json')) as { sweep_id: string };
    await settled(started.sweep_id);
    const running = await countsEverywhere(started.sweep_id, { running: true });
    assert.deepEqual(running, { ...running, total: CELLS, cached: 0, failed: 0 });
    assert.ok(running.pending > 0 && running.pending <= 2, JSON.stringify(running));

    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      const continued = await startSweep(client, c, { continueAsNewAfterBatches: 2 });
      await settled(continued.sweepId);
      assert.ok((await queryProgress(continued.handle)).runs >= 2, 'the sweep continued as new');
      const chained = await countsEverywhere(continued.sweepId, { running: true });
      assert.deepEqual(chained, { ...chained, total: CELLS, cached: 0, failed: 0 });
      assert.ok(chained.pending > 0 && chained.pending <= 2, JSON.stringify(chained));
      assert.equal((await runPhasesweep(['cancel', continued.sweepId, '--wait'], session.env)).code, 0);
      assert.equal((await awaitSweep(continued.handle)).outcome, 'cancelled');
    } finally {
      await close();
    }

    const cancel = await runPhasesweep(['cancel', started.sweep_id, '--wait'], session.env);
    assert.equal(cancel.code, 0, cancel.stderr);
    const cancelled = await countsEverywhere(started.sweep_id);
    assert.deepEqual(cancelled, running);
    assert.equal(
      ((await cli('show', started.sweep_id, '--json')) as { sweep: { status: string } }).sweep.status,
      'cancelled',
    );
    worker.child.kill('SIGKILL');
  },
);

test(
  'a sweep whose only worker was killed, then finished by a later worker, then run again all cached',
  { timeout: TIMEOUT_MS },
  async () => {
    const file = noopSpec('counts-interrupted', 0.3);
    const spec = await loadSpecFile(file);
    const paced = await spawnWorker({ ...session.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '2500' });
    workers.push(paced);
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      // A short heartbeat timeout: the killed worker's batches are retried soon by the next worker.
      const started = await startSweep(client, spec, { heartbeatTimeoutMs: 3_000 });
      await waitFor('a few results', async () => (await storedCounts(started.sweepId)).done >= 4);
      paced.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1_000));
      const interrupted = await countsEverywhere(started.sweepId, { running: true });
      assert.ok(interrupted.done >= 4 && interrupted.pending > 0, JSON.stringify(interrupted));
      assert.equal(interrupted.cached, 0);

      workers.push(await spawnWorker(session.env));
      assert.equal((await awaitSweep(started.handle)).outcome, 'finished');
      const finished = await countsEverywhere(started.sweepId);
      assert.deepEqual(finished, { total: CELLS, done: CELLS, cached: 0, failed: 0, pending: 0 });
    } finally {
      await close();
    }

    const run = (await cli('run', file, '--wait', '--json')) as { sweep_id: string; counts: SweepCounts };
    const allCached = { total: CELLS, done: CELLS, cached: CELLS, failed: 0, pending: 0 };
    assert.deepEqual(run.counts, allCached);
    assert.deepEqual(await countsEverywhere(run.sweep_id), allCached);
    const show = await runPhasesweep(['show', run.sweep_id], session.env);
    assert.match(show.stdout, new RegExp(`${CELLS}/${CELLS} done \\(${CELLS} cached, 0 failed\\)`));

    assert.equal(
      (await runPhasesweep(['schedule', 'create', 'counts-nightly', file, '--paused'], session.env)).code,
      0,
    );
    assert.equal((await runPhasesweep(['schedule', 'trigger', 'counts-nightly'], session.env)).code, 0);
    let scheduled: string | undefined;
    await waitFor('the scheduled run to finish', async () => {
      const { rows } = await db.query<{ id: string; status: string }>(
        "SELECT id, status FROM sweeps WHERE schedule_id = 'counts-nightly'",
      );
      scheduled = rows.find((r) => r.status === 'completed')?.id;
      return scheduled !== undefined;
    });
    assert.deepEqual(await countsEverywhere(scheduled!, { schedule: 'counts-nightly' }), allCached);
  },
);
