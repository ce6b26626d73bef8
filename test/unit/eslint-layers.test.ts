import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The project's own ESLint config (eslint.config.js) on imports written into a file of each layer:
// every wrong one must be reported by the layer rule, every allowed one must not.
const eslint = new ESLint();

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
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
];

for (const [file, code] of allowed) {
  test(`an allowed import in ${file} passes: ${code.split('\n')[0]}`, async () => {
    assert.deepEqual(await layerErrors(file, code), []);
  });
}
