import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The project's own ESLint config (eslint.config.js) on imports written into a file of each layer:
// every wrong one must be reported by the layer rules, every allowed one must not.
const eslint = new ESLint();

// The rules that keep the layers: imports between layers and of packages, files outside every layer,
// and the pure domain's ban on the environment.
const LAYER_RULES = new Set([
  'boundaries/dependencies',
  'boundaries/no-unknown-files',
  'boundaries/no-unknown-dependencies',
  'no-restricted-globals',
  'no-restricted-properties',
]);

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => LAYER_RULES.has(m.ruleId ?? ''))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const wrong: [file: string, code: string][] = [
  ['trainer/x.ts', "import { createPool } from '../store/pool.ts';\nexport const x = createPool;\n"],
  ['trainer/x.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  ['sweep/x.ts', "import { trainCells } from '../trainer/train.ts';\nexport const x = trainCells;\n"],
  ['sweep/x.ts', "import { createPool } from '../store/pool.ts';\nexport const x = createPool;\n"],
  ['store/x.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  ['store/x.ts', "import { trainCells } from '../trainer/train.ts';\nexport const x = trainCells;\n"],
  [
    'activities/x.ts',
    "import { startSweep } from '../client/start-sweep.ts';\nexport const x = startSweep;\n",
  ],
  ['activities/x.ts', "import { workOf } from '../trainer/grouping.ts';\nexport const x = workOf;\n"],
  [
    'workflows/x.ts',
    "import { createControlActivities } from '../activities/index.ts';\nexport const x = createControlActivities;\n",
  ],
  ['workflows/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ['workflows/x.ts', "import { createPool } from '../store/pool.ts';\nexport const x = createPool;\n"],
  ['client/x.ts', "import { buildProgram } from '../cli/program.ts';\nexport const x = buildProgram;\n"],
  ['workers/x.ts', "import { buildProgram } from '../cli/program.ts';\nexport const x = buildProgram;\n"],
  [
    'dashboards/x.ts',
    "import { createControlActivities } from '../activities/index.ts';\nexport const x = createControlActivities;\n",
  ],
  [
    'cli/x.ts',
    "import { startTestPostgres } from '../test/helpers/postgres.ts';\nexport const x = startTestPostgres;\n",
  ],
  ['cli/x.ts', "import { trainCells } from '../trainer/train.ts';\nexport const x = trainCells;\n"],
  // JavaScript is held to the same layers as TypeScript.
  ['trainer/x.js', "import { createPool } from '../store/pool.ts';\nexport const x = createPool;\n"],
  ['workflows/x.js', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ['cli/x.mjs', "import pg from 'pg';\nexport const x = pg;\n"],
  // Every file belongs to a layer: one at the root or in a folder no layer names fails, and so does an
  // import of it.
  ['x.ts', 'export const x = 1;\n'],
  ['x.js', 'export const x = 1;\n'],
  ['lib/y.ts', 'export const x = 1;\n'],
  ['cli/x.ts', "import { y } from '../lib/y.ts';\nexport const x = y;\n"],
  // Each layer's outside packages: the pure domain reaches no database, no Temporal, no file system and
  // no environment.
  ['sweep/x.ts', "import pg from 'pg';\nexport const x = pg;\n"],
  ['sweep/x.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  ['sweep/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ['sweep/x.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n"],
  ['sweep/x.ts', 'export const x = process.env.PHASESWEEP_MAX_CELLS;\n'],
  ['sweep/x.ts', 'export const x = globalThis.process.env.PHASESWEEP_MAX_CELLS;\n'],
  ['sweep/x.ts', "import process from 'node:process';\nexport const x = process.env.PHASESWEEP_MAX_CELLS;\n"],
  ['trainer/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  // The CLI parses and prints: Postgres through store/, Temporal through client/.
  ['cli/x.ts', "import pg from 'pg';\nexport const x = pg;\n"],
  ['cli/x.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  [
    'cli/x.ts',
    "export async function x() {\n  const { Client } = await import('@temporalio/client');\n  return Client;\n}\n",
  ],
  ['client/x.ts', "import pg from 'pg';\nexport const x = pg;\n"],
  ['client/x.ts', "import { listSweeps } from '../store/sweeps.ts';\nexport const x = listSweeps;\n"],
  ['dashboards/x.ts', "import pg from 'pg';\nexport const x = pg;\n"],
  ['workers/x.ts', "import pg from 'pg';\nexport const x = pg;\n"],
  ['activities/x.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  ['store/x.ts', "import { Command } from 'commander';\nexport const x = Command;\n"],
  // The installed command loads the CLI's entry and nothing else.
  ['bin/x.js', "import { buildProgram } from '../cli/program.ts';\nexport const x = buildProgram;\n"],
];

for (const [file, code] of wrong) {
  test(`a wrong import in ${file} fails lint: ${code.split('\n')[0]}`, async () => {
    const errors = await layerErrors(file, code);
    assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
  });
}

const allowed: [file: string, code: string][] = [
  ['sweep/x.ts', "import { workOf } from '../trainer/index.ts';\nexport const x = workOf;\n"],
  ['store/x.ts', "import type { CellParams } from '../trainer/index.ts';\nexport type X = CellParams;\n"],
  [
    'workflows/x.ts',
    "import type { ControlActivities } from '../activities/contract.ts';\nexport type X = ControlActivities;\n",
  ],
  ['workflows/x.ts', "import { derivedSweepId } from '../sweep/ids.ts';\nexport const x = derivedSweepId;\n"],
  ['cli/x.ts', "import { startSweep } from '../client/start-sweep.ts';\nexport const x = startSweep;\n"],
  ['test/x.ts', "import { buildProgram } from '../cli/program.ts';\nexport const x = buildProgram;\n"],
  ['test/x.js', "import { createPool } from '../store/pool.ts';\nexport const x = createPool;\n"],
  ['sweep/x.ts', "import { parse } from 'yaml';\nexport const x = parse;\n"],
  ['sweep/x.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n"],
  ['store/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ['infra/x.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n"],
  ['cli/x.ts', "import type pg from 'pg';\nexport type X = pg.Pool;\n"],
  ['cli/x.ts', "import type { Client } from '@temporalio/client';\nexport type X = Client;\n"],
  [
    'cli/x.ts',
    "import { WorkflowNotFoundError } from '../client/temporal-errors.ts';\nexport const x = WorkflowNotFoundError;\n",
  ],
  ['bin/x.js', "await import('../cli/main.ts');\n"],
  ['activities/x.js', "import { register } from 'tsx/esm/api';\nregister();\n"],
];

for (const [file, code] of allowed) {
  test(`an allowed import in ${file} passes: ${code.split('\n')[0]}`, async () => {
    assert.deepEqual(await layerErrors(file, code), []);
  });
}
