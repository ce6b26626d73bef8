import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../../dashboards/catalog.ts';
import { pushDashboards } from '../../dashboards/push.ts';

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

// A real HTTP server standing in for Grafana's API: records every request and answers like Grafana
// (the folder may exist already: 409 the second time; a bad token: 401 on dashboards).
let server: Server;
let base: string;
const requests: Recorded[] = [];
const folders = new Set<string>();
const TOKEN = 'glsa_test-token-0123456789';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

before(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ message: 'invalid API key' }));
      } else if (req.url === '/api/folders') {
        const uid = String(body.uid);
        res.statusCode = folders.has(uid) ? 409 : 200;
        folders.add(uid);
        res.end(JSON.stringify(res.statusCode === 409 ? { message: 'folder exists' } : { uid }));
      } else if (req.url === '/api/dashboards/db') {
        res.end(JSON.stringify({ status: 'success', uid: (body.dashboard as { uid: string }).uid }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('push creates the folder, then posts every dashboard into it with overwrite; pushing again works', async () => {
  requests.length = 0;
  const first = await pushDashboards({ url: base, token: TOKEN });
  const second = await pushDashboards({ url: base, token: TOKEN });
  const expectedUids = buildAll().map((b) => b.dashboard.uid);
  assert.deepEqual(first.uids, expectedUids);
  assert.deepEqual(second.uids, expectedUids);
  const n = expectedUids.length;
  assert.equal(requests.length, 2 * (1 + n));
  assert.deepEqual(requests[0], {
    method: 'POST',
    url: '/api/folders',
    authorization: `Bearer ${TOKEN}`,
    body: { uid: 'phasesweep', title: 'phasesweep' },
  });
  for (const r of requests.filter((r) => r.url === '/api/dashboards/db')) {
    assert.equal(r.method, 'POST');
    assert.equal(r.body.folderUid, 'phasesweep');
    assert.equal(r.body.overwrite, true);
    const d = r.body.dashboard as { uid: string; id: unknown; panels: unknown[] };
    assert.equal(d.id, null);
    assert.ok(expectedUids.includes(d.uid));
    assert.ok(d.panels.length > 0);
  }
});

test('a rejected token fails with the status and a hint, never the token', async () => {
  await assert.rejects(pushDashboards({ url: base, token: 'wrong-secret-token' }), (err: Error) => {
    assert.match(err.message, /HTTP 401 invalid API key/);
    assert.match(err.message, /GRAFANA_TOKEN/);
    assert.doesNotMatch(err.message, /wrong-secret-token/);
    return true;
  });
});

test('an unreachable Grafana fails fast and names the address', async () => {
  await assert.rejects(
    pushDashboards({ url: 'http://127.0.0.1:1', token: TOKEN }),
    /cannot reach Grafana at http:\/\/127\.0\.0\.1:1/,
  );
});

const cli = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url));

function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

test('phasesweep dashboards push: token from GRAFANA_TOKEN, never printed; missing token or bad URL exit 2', async () => {
  const ok = await runCli(['dashboards', 'push', '--url', base], { GRAFANA_TOKEN: TOKEN });
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /pushed phasesweep-phase-diagram into folder phasesweep/);
  assert.ok(!ok.out.includes(TOKEN));

  const denied = await runCli(['dashboards', 'push', '--url', base], { GRAFANA_TOKEN: 'other-secret' });
  assert.equal(denied.code, 1);
  assert.ok(!denied.out.includes('other-secret'));

  const missing = await runCli(['dashboards', 'push', '--url', base], { GRAFANA_TOKEN: '' });
  assert.equal(missing.code, 2);
  assert.match(missing.out, /GRAFANA_TOKEN is not set/);

  const badUrl = await runCli(['dashboards', 'push', '--url', 'grafana:3000'], { GRAFANA_TOKEN: TOKEN });
  assert.equal(badUrl.code, 2, badUrl.out);
});
