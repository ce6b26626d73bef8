// The set-up every cluster scenario shares: one cluster per test file with a worker on each host,
// torn down after the file; and a paced sweep disrupted mid-way, then finished by an attached run.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { runPhasesweep } from '../../helpers/stack.ts';
import { resultCount, waitFor } from '../../helpers/sweeps.ts';
import { assertComplete, sweepIdOf } from '../../helpers/faults.ts';
import { startCluster, type Cluster, type ClusterOptions } from './cluster.ts';

export interface ScenarioOptions extends ClusterOptions {
  // Hosts that get a worker at the start (default: all).
  workers?: number;
  // Appended to WORKER_ARGS.
  workerArgs?: string[];
  workerEnv?: NodeJS.ProcessEnv;
}

// One trained cell at a time per host, so that work spreads over every host.
export const WORKER_ARGS = ['--concurrency', '1'];

// Registers the file's before/after hooks; `cluster` is set once `before` has run.
export function useCluster(opts: ScenarioOptions = {}): { readonly cluster: Cluster } {
  let cluster: Cluster | undefined;
  before(async () => {
    cluster = await startCluster(opts);
    for (const host of cluster.hosts.slice(0, opts.workers)) {
      await host.startWorker([...WORKER_ARGS, ...(opts.workerArgs ?? [])], opts.workerEnv);
    }
  });
  after(async () => {
    await cluster?.stop();
  });
  return {
    get cluster() {
      assert.ok(cluster, 'the cluster is started in before()');
      return cluster;
    },
  };
}

// Starts the sweep without waiting, lets `minStored` results land, runs `disrupt`, and checks that
// the sweep was still unfinished then. Returns the sweep id.
export async function disruptMidSweep(
  cluster: Cluster,
  specFile: string,
  total: number,
  disrupt: (sweepId: string) => Promise<void>,
  minStored = 6,
): Promise<string> {
  const sweepId = await sweepIdOf(await runPhasesweep(['run', specFile, '--json'], cluster.env));
  await waitFor(
    `${minStored} results`,
    async () => (await resultCount(cluster.databaseUrl, sweepId)) >= minStored,
  );
  await disrupt(sweepId);
  const stored = await resultCount(cluster.databaseUrl, sweepId);
  assert.ok(stored < total, `disrupted mid-sweep (${stored} of ${total} stored)`);
  return sweepId;
}

// `watch` follows the sweep to its end (or finds it ended): completed, and verify finds one result per
// cell.
export async function watchToCompletion(cluster: Cluster, sweepId: string, total: number): Promise<void> {
  const watch = await runPhasesweep(['watch', sweepId, '--json'], cluster.env, 240_000);
  assert.equal(watch.code, 0, watch.stdout + watch.stderr);
  const final = JSON.parse(watch.stdout.trim().split('\n').at(-1)!) as { status: string };
  assert.equal(final.status, 'completed', watch.stdout + watch.stderr);
  await assertComplete(cluster.env, cluster.databaseUrl, sweepId, total);
}
