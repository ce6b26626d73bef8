// Shared by the fault tests: each file's own stack, a paced noop sweep, the stack's processes, and the
// closing checks every fault test ends with (verify + a count against the grid).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { awaitSweep } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import type { SweepSummary } from '../../activities/contract.ts';
import { readState } from '../../infra/local/state.ts';
import { isPortFree } from '../../infra/local/ports.ts';
import { isOurProcess } from '../../infra/local/processes.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { dataDir, stopPostgres } from '../../infra/local/postgres.ts';
import { temporalDbFile } from '../../infra/local/temporal-server.ts';
import { runPhasesweep, temporalBinary, useTestStack, type TestStack } from './stack.ts';
import { queryRows, resultCount, waitFor, writeSpec } from './sweeps.ts';

export interface FaultStack {
  stack: TestStack;
  // A scratch folder for specs.
  dir: string;
  // The environment of a CLI or worker process pointed at the stack.
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
}

// Every fault test file breaks its own stack (useTestStack's): it is started before the file's tests and
// removed after. The fields are filled in once it has started, so read them inside tests; more set-up on
// the stack goes in `setUp`, not in a hook of its own.
export function faultStack(name: string, setUp?: (f: FaultStack) => Promise<void>): FaultStack {
  const f = {} as FaultStack;
  useTestStack(`faults-${name}`, async ({ stack, dir, env }) => {
    Object.assign(f, { stack, dir, env, databaseUrl: stack.endpoints.databaseUrl });
    await setUp?.(f);
  });
  return f;
}

// Runs a paced sweep of `total` cells (see pacedSpec) without waiting, and returns once `started`
// results are stored, so that a fault injected next lands mid-sweep.
export async function startPacedSweep(
  f: FaultStack,
  name: string,
  total: number,
  started = 6,
): Promise<{ sweepId: string; workflowId: string }> {
  const run = await runPhasesweep(['run', writeSpec(f.dir, name, pacedSpec(total)), '--json'], f.env);
  const sweepId = await sweepIdOf(run);
  const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
  await waitFor('some results', async () => (await resultCount(f.databaseUrl, sweepId)) >= started);
  return { sweepId, workflowId };
}

// Waits for the sweep workflow's end and asserts that it completed with no failed cell.
export async function assertWorkflowCompleted(f: FaultStack, workflowId: string): Promise<SweepSummary> {
  const { client, close } = await connectClient(
    f.stack.endpoints.temporalAddress,
    f.stack.endpoints.namespace,
  );
  try {
    const end = await awaitSweep(client.workflow.getHandle(workflowId));
    assert.equal(end.outcome, 'finished', JSON.stringify(end));
    assert.ok(end.outcome === 'finished');
    assert.deepEqual([end.summary.status, end.summary.failed], ['completed', 0]);
    return end.summary;
  } finally {
    await close();
  }
}

// `noop` cells cost nothing, so the pace of a sweep is set by the worker's batch-delay fault hook
// (PHASESWEEP_FAULT_BATCH_DELAY_MS): with batches of 2 and 2 in flight, cells / 2 * delay ms in all.
export function pacedSpec(seeds: number, extra: Record<string, unknown> = {}) {
  return {
    method: 'noop',
    grid: { snr: [0.5], seed: { range: [0, seeds] } },
    resources: { batch_size: 2, max_in_flight: 2 },
    ...extra,
  };
}

// Every cell of the sweep has exactly one result and none is missing or failed.
export async function assertComplete(
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
  sweepId: string,
  total: number,
) {
  const verify = await runPhasesweep(['verify', sweepId, '--json'], env);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const v = JSON.parse(verify.stdout) as { counts: { done: number; total: number }; ok: boolean };
  assert.deepEqual(
    { ...v.counts, cached: 0, ok: v.ok },
    { total, done: total, cached: 0, failed: 0, pending: 0, ok: true },
  );
  const [counts] = await queryRows<{ cells: number; results: number; distinct_keys: number }>(
    databaseUrl,
    `SELECT count(*)::int AS cells, count(r.cell_key)::int AS results,
            count(DISTINCT r.cell_key)::int AS distinct_keys
       FROM sweep_cells c LEFT JOIN results r ON r.cell_key = c.cell_key
      WHERE c.sweep_id = $1`,
    [sweepId],
  );
  assert.deepEqual(
    counts,
    { cells: total, results: total, distinct_keys: total },
    'one result per grid cell',
  );
}

// SIGKILL, as a crash or the OOM killer would; waits until the process is gone.
export async function killTemporal(home: string): Promise<void> {
  const pid = readState(home).temporal?.pid;
  assert.ok(pid && isOurProcess(pid, temporalDbFile(home)), 'the test stack runs a Temporal dev server');
  process.kill(pid, 'SIGKILL');
  while (isOurProcess(pid, temporalDbFile(home))) await sleep(50);
}

// Same home, so the same --db-filename, and the same port (stored in the stack's state file), once
// that port can be bound again: under load it may stay taken for a moment after the kill.
export async function restartTemporal(home: string): Promise<void> {
  const port = readState(home).temporal!.port;
  const deadline = Date.now() + 30_000;
  while (!(await isPortFree(port)) && Date.now() < deadline) await sleep(200);
  await startLocalStack(home, {
    postgres: false,
    temporal: true,
    namespace: 'default',
    temporalBinary: await temporalBinary(),
    isolated: true,
  });
}

// A fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends): sessions are disconnected, data flushed.
export async function stopStackPostgres(home: string): Promise<void> {
  await stopPostgres(home, readState(home).postgres?.pid);
  assert.equal(isOurProcess(readState(home).postgres?.pid, dataDir(home)), false, 'Postgres stopped');
}

// Same data dir, port and password.
export async function restartStackPostgres(home: string): Promise<void> {
  await startLocalStack(home, { postgres: true, temporal: false, namespace: 'default', isolated: true });
}

export async function sweepIdOf(run: {
  code: number | null;
  stdout: string;
  stderr: string;
}): Promise<string> {
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return String((JSON.parse(run.stdout) as { sweep_id: string }).sweep_id);
}
