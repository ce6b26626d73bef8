import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

// Connection security for a Temporal cluster, from the environment only, so that keys never travel
// through arguments, workflow inputs or logs. Files are named by variables (never inline PEM), which
// is how Kubernetes secrets and compose secrets are mounted.
export interface TemporalSecurity {
  tls?: TLSConfig | true;
  apiKey?: string;
}

class TemporalConfigError extends Error {
  readonly badInput = true;
}

function readNamedFile(variable: string, env: NodeJS.ProcessEnv): Buffer | undefined {
  const path = env[variable];
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TemporalConfigError(`${variable} names ${path}, which cannot be read (${reason})`);
  }
}

export function temporalSecurity(env: NodeJS.ProcessEnv = process.env): TemporalSecurity {
  const crt = readNamedFile('TEMPORAL_TLS_CERT', env);
  const key = readNamedFile('TEMPORAL_TLS_KEY', env);
  if (Boolean(crt) !== Boolean(key)) {
    throw new TemporalConfigError('mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (one is set)');
  }
  const ca = readNamedFile('TEMPORAL_TLS_CA', env);
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const wantsTls = ['1', 'true', 'yes'].includes((env.TEMPORAL_TLS ?? '').toLowerCase());
  const security: TemporalSecurity = {};
  if (crt && key) {
    security.tls = {
      clientCertPair: { crt, key },
      serverRootCACertificate: ca,
      serverNameOverride: serverName,
    };
  } else if (ca || serverName) {
    security.tls = { serverRootCACertificate: ca, serverNameOverride: serverName };
  } else if (wantsTls || apiKey) {
    // An API key (Temporal Cloud) is only ever sent over TLS.
    security.tls = true;
  }
  if (apiKey) security.apiKey = apiKey;
  return security;
}

export function describeTemporalSecurity(security: TemporalSecurity): string {
  if (!security.tls) return 'plaintext';
  const mtls = security.tls !== true && security.tls.clientCertPair ? 'mTLS' : 'TLS';
  return security.apiKey ? `${mtls} + API key` : mtls;
}
