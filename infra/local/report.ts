import { checkDatabase, maskDatabaseUrl } from '../../store/pool.ts';
import { checkTemporal } from './health.ts';
import { temporalNamespace } from './endpoints.ts';
import { localServices, localStackInfo } from './stack.ts';

export interface ServiceReport {
  source: 'env' | 'local';
  healthy: boolean;
  error?: string;
  pid?: number;
}

export interface StackReport {
  home: string;
  stateFile: string;
  postgres: ServiceReport & { url?: string };
  temporal: ServiceReport & { address?: string; namespace: string; uiUrl?: string };
}

async function probe(check: () => Promise<void>): Promise<{ healthy: boolean; error?: string }> {
  try {
    await check();
    return { healthy: true };
  } catch (err) {
    return { healthy: false, error: (err as Error).message };
  }
}

// Health of each service, wherever it comes from. The database URL is masked unless showSecrets.
export async function stackReport(home: string, showSecrets = false): Promise<StackReport> {
  const info = localStackInfo(home);
  const local = localServices(home);
  const namespace = temporalNamespace();
  const notRunning = { healthy: false, error: 'not running (run `phasesweep up`)' };

  const envDb = process.env.DATABASE_URL;
  const dbUrl = envDb || local.databaseUrl;
  const pgLive = envDb || info.postgres?.running;
  const postgres = {
    source: envDb ? ('env' as const) : ('local' as const),
    url: dbUrl && (showSecrets ? dbUrl : maskDatabaseUrl(dbUrl)),
    pid: envDb ? undefined : info.postgres?.pid,
    ...(pgLive && dbUrl ? await probe(() => checkDatabase(dbUrl)) : notRunning),
  };

  const envTemporal = process.env.TEMPORAL_ADDRESS;
  const address = envTemporal || local.temporalAddress;
  const temporalLive = envTemporal || info.temporal?.running;
  const temporal = {
    source: envTemporal ? ('env' as const) : ('local' as const),
    address,
    namespace,
    uiUrl: envTemporal ? undefined : local.uiUrl,
    pid: envTemporal ? undefined : info.temporal?.pid,
    ...(temporalLive && address ? await probe(() => checkTemporal(address, namespace)) : notRunning),
  };
  return { home, stateFile: info.stateFile, postgres, temporal };
}
