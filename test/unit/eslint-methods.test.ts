import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The project's own ESLint config (eslint.config.js): a method is named only in its module and the
// registry, so that adding one touches nothing else.
const eslint = new ESLint();

async function methodErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const wrong: [file: string, code: string][] = [
  ['sweep/x.ts', "export const isPretrained = (m: string) => m === 'simclr';\n"],
  ['cli/x.ts', "export const drawn = (p: { method: string }) => p.method !== 'noop';\n"],
  [
    'store/x.ts',
    "export const f = (c: { params: { method: string } }) => 'supervised' === c.params.method;\n",
  ],
  // a method that does not exist yet is still not compared by name
  ['cli/x.ts', "export const f = (p: { method: string }) => p.method === 'command';\n"],
  ['sweep/x.ts', "export const line = { method: 'supervised', size: 'n_labels' };\n"],
  ['bench/x.ts', "export type Grid = 'supervised' | 'simclr';\n"],
  ['dashboards/x.ts', "export const q = `SELECT 1 FROM sweep_cells WHERE method = 'simclr'`;\n"],
  ['trainer/x.ts', "export const methods = ['supervised', 'simclr'];\n"],
];

const allowed: [file: string, code: string][] = [
  // the methods' own modules and the registry
  ['trainer/methods/x.ts', "const name = 'simclr';\nexport const f = (m: string) => m === name;\n"],
  ['trainer/methods/index.ts', "export const m = (p: { method: string }) => p.method === 'noop';\n"],
  // asking the registry
  [
    'cli/x.ts',
    "import { METHOD, methodOf, type Method } from '../trainer/index.ts';\nexport const f = (m: Method) => methodOf(m).trains && m !== METHOD.simclr;\n",
  ],
  // words that merely contain a name, and other properties compared with literals
  [
    'cli/x.ts',
    "export const label = 'SimCLR, n0 = 400';\nexport const f = (p: { head: string }) => p.head === 'mlp';\n",
  ],
  // tests may build cells of any method
  ['test/unit/x.test.ts', "export const cell = { method: 'simclr' };\n"],
];

test('naming a method outside trainer/methods/ fails lint', async () => {
  for (const [file, code] of wrong) {
    const errors = await methodErrors(file, code);
    assert.ok(errors.length > 0, `${file}: ${code}`);
    assert.match(errors[0], /ask the registry/);
  }
});

test('the methods, the registry, code that asks it and tests pass', async () => {
  for (const [file, code] of allowed)
    assert.deepEqual(await methodErrors(file, code), [], `${file}: ${code}`);
});
