import { phasesweepHome } from './home.ts';
import { checkDatabase } from '../../store/pool.ts';
import { checkTemporal } from './health.ts';
import { runningLocalStack, startLocalStack } from './stack.ts';

export { phasesweepHome };

export interface Endpoints {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  uiUrl?: string;
  local: { postgres: boolean; temporal: boolean };
}

export interface ResolveEndpointsOptions {
  // Start the local services that the environment does not replace (as `phasesweep up` does).
  start?: boolean;
  home?: string;
  // Verify both answer (default true): a wrong DATABASE_URL / TEMPORAL_ADDRESS fails here within
  // seconds, naming host:port, instead of hanging later.
  check?: boolean;
  log?: (line: string) => void;
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

// DATABASE_URL and TEMPORAL_ADDRESS win; whatever they leave unset comes from the local stack.
export async function resolveEndpoints(opts: ResolveEndpointsOptions = {}): Promise<Endpoints> {
  const home = opts.home ?? phasesweepHome();
  const namespace = temporalNamespace();
  const local = { postgres: !process.env.DATABASE_URL, temporal: !process.env.TEMPORAL_ADDRESS };
  if (opts.check !== false) {
    // Remote endpoints are checked first so that a typo fails before anything local is started.
    await Promise.all([
      local.postgres ? undefined : checkDatabase(process.env.DATABASE_URL!),
      local.temporal ? undefined : checkTemporal(process.env.TEMPORAL_ADDRESS!, namespace),
    ]);
  }
  const services =
    local.postgres || local.temporal
      ? opts.start
        ? await startLocalStack(home, { ...local, namespace, log: opts.log })
        : runningLocalStack(home, local)
      : {};
  const endpoints: Endpoints = {
    databaseUrl: process.env.DATABASE_URL || services.databaseUrl!,
    temporalAddress: process.env.TEMPORAL_ADDRESS || services.temporalAddress!,
    namespace,
    local,
  };
  if (local.temporal) endpoints.uiUrl = services.uiUrl;
  if (opts.check !== false && !opts.start) {
    // Local services were only looked up by pid: make sure they answer too.
    await Promise.all([
      local.postgres ? checkDatabase(endpoints.databaseUrl) : undefined,
      local.temporal ? checkTemporal(endpoints.temporalAddress, namespace) : undefined,
    ]);
  }
  return endpoints;
}
