import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildAll } from './catalog.ts';
import { DEFAULT_FOLDER } from './defaults.ts';

export interface PushOptions {
  url: string;
  token: string;
  folder?: { uid: string; title: string };
  fetchTimeoutMs?: number;
}

export class GrafanaPushError extends Error {}

// Uploads every dashboard through Grafana's HTTP API: the folder first (an existing one is fine), then
// each dashboard into it with overwrite, so a push is repeatable.
export async function pushDashboards(opts: PushOptions): Promise<{ folderUid: string; uids: string[] }> {
  const base = parseBaseUrl(opts.url);
  const folder = opts.folder ?? DEFAULT_FOLDER;
  const call = (path: string, body: unknown) =>
    postJson(base, path, opts.token, body, opts.fetchTimeoutMs ?? 15000);

  const created = await call('/api/folders', { uid: folder.uid, title: folder.title });
  // 409/412: the folder exists already (by uid or title); dashboards can still go into it by uid.
  if (!created.ok && created.status !== 409 && created.status !== 412) {
    throw new GrafanaPushError(`creating folder '${folder.uid}' at ${base.origin}: ${describe(created)}`);
  }
  const uids: string[] = [];
  for (const { dashboard } of buildAll()) {
    const res = await call('/api/dashboards/db', {
      dashboard: withoutId(dashboard),
      folderUid: folder.uid,
      overwrite: true,
      message: 'phasesweep dashboards push',
    });
    if (!res.ok)
      throw new GrafanaPushError(
        `uploading dashboard '${dashboard.uid}' to ${base.origin}: ${describe(res)}`,
      );
    uids.push(dashboard.uid ?? '');
  }
  return { folderUid: folder.uid, uids };
}

function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw Object.assign(
      new GrafanaPushError(`--url '${url}' is not a URL (expected e.g. http://grafana:3000)`),
      {
        badInput: true,
      },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw Object.assign(new GrafanaPushError(`--url '${url}' must be http(s)`), { badInput: true });
  }
  if (parsed.username || parsed.password) {
    throw Object.assign(
      new GrafanaPushError('--url must not carry credentials; put the token in GRAFANA_TOKEN'),
      { badInput: true },
    );
  }
  return parsed;
}

// A null id makes Grafana match the dashboard by uid, so overwrite updates instead of duplicating.
function withoutId(d: dashboard.Dashboard): dashboard.Dashboard {
  return { ...d, id: null };
}

interface Reply {
  ok: boolean;
  status: number;
  text: string;
}

async function postJson(
  base: URL,
  path: string,
  token: string,
  body: unknown,
  timeoutMs: number,
): Promise<Reply> {
  const target = new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: res.ok, status: res.status, text: await res.text() };
  } catch (err) {
    const why =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new GrafanaPushError(`cannot reach Grafana at ${base.origin}: ${why}`);
  }
}

function describe(reply: Reply): string {
  let message = reply.text.slice(0, 300);
  try {
    const parsed = JSON.parse(reply.text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not JSON: the raw (truncated) body is the best description there is.
  }
  const hint =
    reply.status === 401 || reply.status === 403
      ? ' (check GRAFANA_TOKEN: a service-account token with Editor rights)'
      : '';
  return `HTTP ${reply.status} ${message}${hint}`;
}
