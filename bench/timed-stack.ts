// The stacks a timed sweep runs on: the embedded one (Postgres and Temporal's dev server, as `phasesweep
// up` starts them) and the four-service Temporal cluster of the cluster tests, with its own Postgres and
// a separate results Postgres. Both say what their processes have spent, so a benchmark reads CPU
// seconds the same way on either.
import { readState } from '../infra/local/state.ts';
import { startCluster } from '../test/cluster/harness/cluster.ts';
import { startTestStack } from '../test/helpers/stack.ts';
import { treeCpuSeconds } from './process-cpu.ts';

export const TARGETS = ['embedded', 'cluster'] as const;
export type Target = (typeof TARGETS)[number];

export interface TimedStack {
  // Points a `phasesweep` command (a worker among them) at this stack.
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  // CPU seconds so far of the results Postgres (with its backends), and of Temporal: the dev server, or
  // the cluster's four services and the Postgres they persist to.
  postgresCpuSeconds(): number;
  temporalCpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startTimedStack(target: Target): Promise<TimedStack> {
  return target === 'cluster' ? clusterStack() : embeddedStack();
}

async function embeddedStack(): Promise<TimedStack> {
  const stack = await startTestStack();
  const { postgres, temporal } = readState(stack.home);
  return {
    env: {
      PHASESWEEP_HOME: stack.home,
      DATABASE_URL: stack.endpoints.databaseUrl,
      TEMPORAL_ADDRESS: stack.endpoints.temporalAddress,
      TEMPORAL_NAMESPACE: stack.endpoints.namespace,
    },
    databaseUrl: stack.endpoints.databaseUrl,
    temporalAddress: stack.endpoints.temporalAddress,
    namespace: stack.endpoints.namespace,
    postgresCpuSeconds: () => treeCpuSeconds(postgres!.pid!),
    temporalCpuSeconds: () => treeCpuSeconds(temporal!.pid!),
    stop: stack.stop,
  };
}

// No worker hosts of its own: the benchmark's one worker runs on this machine, as on the dev server.
async function clusterStack(): Promise<TimedStack> {
  const cluster = await startCluster({ hosts: 0, log: () => undefined });
  // Temporal's Postgres first, then the results Postgres (harness/cluster.ts).
  const [temporalPostgres, resultsPostgres] = cluster.postgresPids();
  return {
    env: cluster.env,
    databaseUrl: cluster.databaseUrl,
    temporalAddress: cluster.temporalAddress,
    namespace: cluster.env.TEMPORAL_NAMESPACE!,
    postgresCpuSeconds: () => treeCpuSeconds(resultsPostgres!),
    temporalCpuSeconds: () =>
      treeCpuSeconds(temporalPostgres!) +
      Object.values(cluster.services).reduce((sum, s) => sum + treeCpuSeconds(s.pid() ?? -1), 0),
    stop: cluster.stop,
  };
}
