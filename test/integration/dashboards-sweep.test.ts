// The Phase diagram and Operations dashboards over a real sweep: `phasesweep run` on a test stack
// (embedded Postgres, Temporal dev server), trained by a real `phasesweep worker` process, one cell
// made to fail through the worker's fault-injection hook. Panel SQL runs as the Grafana reader role.
// About 40-70 s, most of it starting the stack and the worker.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type pg from 'pg';
import { stringify } from 'yaml';
import { buildAll } from '../../dashboards/catalog.ts';
import { createPool } from '../../store/pool.ts';
import { ensureRoles } from '../../store/roles.ts';
import { expandCells } from '../../sweep/cells.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { panelsOf, resolveVariables, runPanels, variablesOf } from '../helpers/dashboard-panels.ts';
import { spawnWorker, type WorkerProcess } from '../helpers/sweeps.ts';

const SPEC = {
  name: 'dashboards-real-sweep',
  method: ['supervised', 'noop'],
  grid: { n_labels: [4, 16], snr: [0.1, 0.4, 1.5, 4], seed: { range: [0, 2] } },
  fixed: { d: 20, m: 4, q: 3, steps: 30, n_test: 50 },
  resources: { batch_size: 16 },
};
const failingKey = expandCells(parseSpecText(stringify(SPEC), 'spec.yaml')).find(
  (c) =>
    c.params.method === 'supervised' && c.params.n_labels === 16 && c.params.snr === 4 && c.params.seed === 1,
)!.key;

let worker: WorkerProcess | undefined;
let reader: pg.Pool;
let sweepId: string;

const session = useTestStack('dashboards', async ({ stack, env, dir }) => {
  const admin = createPool(stack.endpoints.databaseUrl, { max: 1 });
  const { readerRole } = await ensureRoles(admin, { readerPassword: 'reader-pw' });
  await admin.end();
  const readerUrl = new URL(stack.endpoints.databaseUrl);
  readerUrl.username = readerRole;
  readerUrl.password = 'reader-pw';
  reader = createPool(readerUrl.toString(), { max: 2 });

  worker = await spawnWorker({ ...env, PHASESWEEP_FAULT_THROW_CELLS: failingKey });
  const specPath = join(dir, 'spec.yaml');
  writeFileSync(specPath, stringify(SPEC));
  const run = await runPhasesweep(['run', specPath, '--wait', '--json', '--no-local-worker'], env, 240_000);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    sweep_id?: string;
    status?: string;
  };
  assert.equal(report.status, 'completed_with_failures', `${run.stdout}\n${run.stderr}`);
  sweepId = report.sweep_id!;
});
session.onStop(() => worker?.stop());
session.onStop(() => reader?.end());

test('Phase diagram and Operations panels show the sweep that just ran', async () => {
  for (const file of ['phase-diagram.json', 'operations.json']) {
    const d = buildAll().find((b) => b.file === file)!.dashboard;
    const values = await resolveVariables(reader, variablesOf(d), { sweep: sweepId, method: 'supervised' });
    // The sweep has finished, so nothing is running, and it has no refine: section, so no refined
    // boundaries; every other panel has rows.
    const empty = (title: string) => title === 'Running sweeps' || title.startsWith('Refined boundary');
    await runPanels(reader, file, panelsOf(d), values, (title) => !empty(title));
  }
});
