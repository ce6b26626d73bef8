// Secrets never leave the environment: a sweep run end to end with a known database password, role
// passwords, a Grafana token and API-key-like values in the environment, then every output captured
// (CLI stdout/stderr, worker output, the stack's logs, workflow histories and descriptions from the
// temporal CLI, every stored row) is searched for them. Error paths too: a refused password, an
// unreachable Grafana, a TLS handshake carrying TEMPORAL_API_KEY. About 40 s.
// That the Grafana (reader) role can only SELECT is covered by test/integration/store-indexes-roles.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPhasesweep, temporalBinary, type CliRun } from '../helpers/stack.ts';
import { queryRows, spawnWorker, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete, faultStack, pacedSpec, sweepIdOf } from '../helpers/faults.ts';

const TOTAL = 12;
const SECRETS = {
  PHASESWEEP_GRAFANA_PASSWORD: 'reader-Secret-7f3a9c',
  PHASESWEEP_WRITER_PASSWORD: 'writer-Secret-52e1d0',
  GRAFANA_TOKEN: 'glsa_GrafanaToken_0d9e8f7a6b5c4d3e',
  // Not read by phasesweep: it shows whether anything dumps the environment.
  PHASESWEEP_TEST_API_KEY: 'apikey-Marker-a1b2c3d4e5',
};

const f = faultStack('secrets');

function assertNoSecret(what: string, text: string, secrets: string[]): void {
  for (const secret of secrets)
    assert.ok(!text.includes(secret), `${what} contains a secret (${secret.slice(0, 6)}...)`);
}

const both = (r: CliRun) => `${r.stdout}\n${r.stderr}`;

// Payloads (inputs, results, memos, failures' details) are base64 in the CLI's JSON: decode them all.
function decodedPayloads(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(decodedPayloads);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'data' && typeof value === 'string'
      ? [Buffer.from(value, 'base64').toString('utf8')]
      : decodedPayloads(value),
  );
}

test('no secret in any output, workflow input, log or stored row', { timeout: 240_000 }, async () => {
  const dbPassword = decodeURIComponent(new URL(f.stack.endpoints.databaseUrl).password);
  assert.ok(dbPassword.length >= 16, 'the test stack has its own password');
  const secrets = [dbPassword, encodeURIComponent(dbPassword), ...Object.values(SECRETS)];
  const env = { ...f.env, ...SECRETS };
  const outputs: [string, string][] = [];

  const migrate = await runPhasesweep(['db', 'migrate', '--json'], env);
  assert.equal(migrate.code, 0, both(migrate));
  outputs.push(['db migrate', both(migrate)]);

  const worker = await spawnWorker(env);
  let sweepId: string;
  let workflowId: string;
  try {
    const spec = writeSpec(f.dir, 'secrets', pacedSpec(TOTAL, { tags: { owner: 'security-test' } }));
    const run = await runPhasesweep(['run', spec, '--wait', '--json'], env, 180_000);
    outputs.push(['run', both(run)]);
    sweepId = await sweepIdOf(run);
    workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['ls'],
      ['show', sweepId],
      ['show', sweepId, '--json'],
      ['results', sweepId],
      ['export', sweepId, '--format', 'csv'],
      ['verify', sweepId],
    ]) {
      const r = await runPhasesweep(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${both(r)}`);
      outputs.push([args.join(' '), both(r)]);
    }
  } finally {
    await worker.stop();
  }
  outputs.push(['worker output', worker.output()]);

  // What Temporal holds: the workflow's inputs, memo, activity inputs and results, across runs.
  const temporal = await temporalBinary();
  for (const sub of ['show', 'describe']) {
    const r = spawnSync(
      temporal,
      [
        'workflow',
        sub,
        '--workflow-id',
        workflowId,
        '--address',
        f.stack.endpoints.temporalAddress,
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const text = `${r.stdout}\n${decodedPayloads(JSON.parse(r.stdout)).join('\n')}`;
    assert.ok(text.includes(sweepId), `temporal workflow ${sub} shows the sweep`);
    outputs.push([`temporal workflow ${sub}`, text + r.stderr]);
  }

  // Every stored row, and the stack's own logs.
  for (const table of ['sweeps', 'sweep_cells', 'results', 'curves', 'failures']) {
    const rows = await queryRows(f.stack.endpoints.databaseUrl, `SELECT * FROM ${table}`);
    outputs.push([`table ${table}`, JSON.stringify(rows)]);
  }
  for (const file of readdirSync(f.stack.home).filter((f) => f.endsWith('.log'))) {
    outputs.push([file, readFileSync(join(f.stack.home, file), 'utf8')]);
  }

  // Error paths, where a careless message would echo its input.
  const wrongUrl = new URL(f.stack.endpoints.databaseUrl);
  wrongUrl.password = `${dbPassword}-wrong`;
  const refused = await runPhasesweep(['ls'], { ...env, DATABASE_URL: wrongUrl.toString() });
  assert.equal(refused.code, 1, both(refused));
  assert.match(refused.stderr, /password authentication failed/);
  outputs.push(['ls with a wrong password', both(refused)]);

  const grafana = await runPhasesweep(['dashboards', 'push', '--url', 'http://127.0.0.1:9'], env);
  assert.notEqual(grafana.code, 0);
  outputs.push(['dashboards push to nowhere', both(grafana)]);

  const apiKey = 'temporal-ApiKey-9f8e7d6c5b4a';
  const tls = await runPhasesweep(['cancel', sweepId], { ...env, TEMPORAL_API_KEY: apiKey }, 60_000);
  assert.notEqual(tls.code, 0, 'an API key means TLS, which the plaintext dev server does not speak');
  outputs.push(['cancel with TEMPORAL_API_KEY over TLS', both(tls)]);
  secrets.push(apiKey);

  // The search finds a secret where one is asked for.
  const shown = await runPhasesweep(['status', '--show-secrets'], env);
  assert.ok(
    shown.stdout.includes(encodeURIComponent(dbPassword)),
    'status --show-secrets prints the password',
  );

  for (const [what, text] of outputs) assertNoSecret(what, text, secrets);
  await assertComplete(env, f.stack.endpoints.databaseUrl, sweepId, TOTAL);
});
