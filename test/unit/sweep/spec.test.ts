import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { countCells } from '../../../sweep/cells.ts';
import { SpecError, parseSpecText, specHash } from '../../../sweep/spec.ts';
import { maxCellsSetting } from '../../../infra/max-cells.ts';
import { loadSpecFile } from '../../../infra/spec-file.ts';
import { DEFAULT_MAX_CELLS } from '../../../sweep/limits.ts';

const DESIGN_EXAMPLE = `name: supervised-phase-diagram
method: [supervised, simclr]        # simclr = SimCLR pre-training + supervised fine-tuning
grid:
  n_unlabeled: [25, 100, 400, 1600] # sample size for pre-training (n_0)
  snr: {geomspace: [0.05, 1.0, 10]}
  n_labels: [4, 8, 16, 32, 64, 128, 256]
  seed: {range: [0, 2]}
fixed: {d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 1000, n_test: 1000}
resources: {queue: train-cpu}
`;

function specError(text: string, opts = {}): SpecError {
  try {
    parseSpecText(text, 'bad.yaml', opts);
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    assert.equal(err.badInput, true);
    return err;
  }
  assert.fail('the spec was accepted');
}

test('the DESIGN.md example parses with defaults filled in', () => {
  const spec = parseSpecText(DESIGN_EXAMPLE, 'design.yaml');
  assert.deepEqual(spec.method, ['supervised', 'simclr']);
  assert.deepEqual(spec.resources, { queue: 'train-cpu', batch_size: 64, max_in_flight: 8 });
  assert.deepEqual(spec.tags, {});
  assert.deepEqual(spec.grid.seed, { range: [0, 2] });
  // simclr: 4 x 10 x 7 x 2; supervised ignores n_unlabeled: 10 x 7 x 2.
  assert.equal(countCells(spec), 560 + 140);
});

test('every example spec parses; default.yaml is the 140 cells of paper-spec 6.1', async () => {
  const dir = new URL('../../../examples/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  for (const required of ['default', 'demo', 'simclr', 'paper-scale', 'kou23-label-noise', 'noop-20k']) {
    assert.ok(files.includes(`${required}.yaml`), `examples/${required}.yaml is missing`);
  }
  const counts: Record<string, number> = {};
  for (const file of files) counts[file] = countCells(await loadSpecFile(join(dir, file)));
  assert.equal(counts['default.yaml'], 140);
  assert.equal(counts['noop-20k.yaml'], 20_000);
  assert.equal(counts['simclr.yaml'], 64 + 16);
});

test('errors name the file, the path in the spec, line:col and what was expected', () => {
  const err = specError(DESIGN_EXAMPLE.replace('[0.05, 1.0, 10]', '[0.05, -1.0, 10.5]'));
  assert.deepEqual(
    err.issues.map((i) => [i.path, i.line, i.col]),
    [
      ['grid.snr.geomspace[1]', 5, 27],
      ['grid.snr.geomspace[2]', 5, 33],
    ],
  );
  assert.match(err.message, /^bad\.yaml:5:27: grid\.snr\.geomspace\[1\]: expected a number > 0/);
  assert.match(err.issues[1].message, /whole number/);
});

test('unknown keys, an axis in both grid and fixed, bad trainer values and duplicates are refused', () => {
  const unknown = specError(
    DESIGN_EXAMPLE.replace('seed: {range: [0, 2]}', 'seed: {range: [0, 2], by: 1}\n  sed: 3'),
  );
  assert.deepEqual(
    unknown.issues.map((i) => [i.path, i.line, i.col]),
    [
      ['grid.seed.by', 7, 25],
      ['grid.sed', 8, 3],
    ],
  );
  assert.match(unknown.issues[1].message, /unknown key; expected a trainer parameter/);

  const twice = specError(DESIGN_EXAMPLE.replace('d: 200', 'd: 200, snr: 0.3'));
  assert.equal(twice.issues[0].path, 'fixed.snr');
  assert.match(twice.issues[0].message, /also a grid axis/);

  const values = specError(DESIGN_EXAMPLE.replace('[4, 8, 16', '[4, 4, -16').replace('lr: 1.0', 'lr: .nan'));
  assert.deepEqual(
    values.issues.map((i) => i.path),
    ['fixed.lr'],
    'structural errors are reported before per-value checks',
  );
  const dup = specError(DESIGN_EXAMPLE.replace('[4, 8, 16', '[4, 4, -16'));
  assert.deepEqual(
    dup.issues.map((i) => i.path),
    ['grid.n_labels[1]', 'grid.n_labels[2]'],
  );
  assert.match(dup.issues[0].message, /duplicate value 4/);

  const generated = specError(DESIGN_EXAMPLE.replace('range: [0, 2]', 'linspace: [0, 2, 5]'));
  assert.equal(generated.issues[0].path, 'grid.seed.linspace');
  assert.match(generated.issues[0].message, /generated value #2 \(0\.5\)/);

  const method = specError(DESIGN_EXAMPLE.replace('[supervised, simclr]', 'superviesd'));
  assert.equal(method.issues[0].path, 'method');
  assert.match(method.issues[0].message, /supervised, simclr, noop/);
});

test('empty axes, missing fields and documents that are not a mapping are refused', () => {
  assert.equal(
    specError(DESIGN_EXAMPLE.replace('range: [0, 2]', 'range: [2, 0]')).issues[0].path,
    'grid.seed.range',
  );
  assert.equal(
    specError(DESIGN_EXAMPLE.replace('[4, 8, 16, 32, 64, 128, 256]', '[]')).issues[0].path,
    'grid.n_labels',
  );
  const missing = specError('name: x\n');
  assert.deepEqual(
    missing.issues.map((i) => i.path),
    ['method', 'grid'],
  );
  for (const text of ['', 'just a string', '- a\n- b\n', 'a: [1\n', 'a: 1\na: 2\n', '--- {}\n--- {}\n']) {
    const err = specError(text);
    assert.ok(err.issues.length > 0 && err.issues.every((i) => i.path.length > 0));
  }
  assert.match(specError('a: [1\n').message, /^bad\.yaml:\d+:\d+: \(yaml\): not valid YAML/);
});

test('a document that is not a mapping is told every section a spec may have', () => {
  for (const text of ['', 'just a string', '- a\n']) {
    const { message } = specError(text);
    for (const key of [
      'name',
      'method',
      'grid',
      'description',
      'fixed',
      'resources',
      'refine',
      'command',
      'tags',
    ])
      assert.match(message, new RegExp(`\\b${key}\\b`), `${JSON.stringify(text)}: ${message}`);
  }
});

test('a grid over the cell limit is refused from its size alone', () => {
  const huge = DESIGN_EXAMPLE.replace('geomspace: [0.05, 1.0, 10]', 'linspace: [0.01, 1, 1000000000000]');
  const err = specError(huge);
  assert.equal(err.issues[0].path, 'grid');
  assert.match(err.issues[0].message, /more than the limit of 1000000/);
  assert.match(specError(DESIGN_EXAMPLE, { maxCells: 699 }).message, /700 cells, more than the limit of 699/);
  assert.equal(countCells(parseSpecText(DESIGN_EXAMPLE, 'x', { maxCells: 700 })), 700);

  // The domain reads no environment: the limit is passed in, the layer that does I/O reads the setting.
  const saved = process.env.PHASESWEEP_MAX_CELLS;
  try {
    process.env.PHASESWEEP_MAX_CELLS = '100';
    assert.equal(countCells(parseSpecText(DESIGN_EXAMPLE, 'x')), 700);
  } finally {
    if (saved === undefined) delete process.env.PHASESWEEP_MAX_CELLS;
    else process.env.PHASESWEEP_MAX_CELLS = saved;
  }
});

test('alias bombs are refused instead of expanded', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    bomb.push(
      `${cur}: &${cur} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
    );
  }
  const err = specError(bomb.join('\n') + '\n');
  assert.equal(err.issues[0].path, '(root)');
});

test('specHash ignores key order, comments and written defaults, and sees every change', () => {
  const a = parseSpecText(DESIGN_EXAMPLE, 'a.yaml');
  const reordered = `# same sweep
resources: {queue: train-cpu, batch_size: 64}
fixed: {n_test: 1000, steps: 1000, lr: 1, sigma0: 0.01, q: 3, m: 10, d: 200}
grid:
  seed: {range: [0, 2]}
  n_labels: [4, 8, 16, 32, 64, 128, 256]
  snr: {geomspace: [0.05, 1, 10]}
  n_unlabeled: [25, 100, 400, 1600]
method: [supervised, simclr]
name: supervised-phase-diagram
`;
  assert.equal(specHash(parseSpecText(reordered, 'b.yaml')), specHash(a));
  assert.match(specHash(a), /^[0-9a-f]{64}$/);
  assert.notEqual(specHash(parseSpecText(DESIGN_EXAMPLE.replace('q: 3', 'q: 2'), 'c.yaml')), specHash(a));
  assert.notEqual(
    specHash(parseSpecText(DESIGN_EXAMPLE.replace('phase-diagram', 'phase'), 'c.yaml')),
    specHash(a),
  );
});

test('PHASESWEEP_MAX_CELLS is read where files are: loadSpecFile applies it, a bad value is bad input', async () => {
  assert.equal(maxCellsSetting({}), DEFAULT_MAX_CELLS);
  assert.equal(maxCellsSetting({ PHASESWEEP_MAX_CELLS: '100' }), 100);
  assert.throws(() => maxCellsSetting({ PHASESWEEP_MAX_CELLS: 'lots' }), {
    badInput: true,
    message: /PHASESWEEP_MAX_CELLS must be a positive whole number, got 'lots'/,
  });
  const dir = await mkdtemp(join(tmpdir(), 'phasesweep-spec-'));
  await writeFile(join(dir, 'ok.yaml'), DESIGN_EXAMPLE);
  const saved = process.env.PHASESWEEP_MAX_CELLS;
  try {
    process.env.PHASESWEEP_MAX_CELLS = '100';
    await assert.rejects(loadSpecFile(join(dir, 'ok.yaml')), /limit of 100: /);
  } finally {
    if (saved === undefined) delete process.env.PHASESWEEP_MAX_CELLS;
    else process.env.PHASESWEEP_MAX_CELLS = saved;
  }
});

test('loadSpecFile reports a missing file as bad input naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phasesweep-spec-'));
  await assert.rejects(loadSpecFile(join(dir, 'nope.yaml')), (err: unknown) => {
    assert.ok(err instanceof SpecError);
    assert.match(err.message, /nope\.yaml: \(file\): cannot read the spec: no such file/);
    return true;
  });
  await writeFile(join(dir, 'ok.yaml'), DESIGN_EXAMPLE);
  assert.equal((await loadSpecFile(join(dir, 'ok.yaml'))).name, 'supervised-phase-diagram');
});

test("spec messages use human words, not the validator's, and the limit names what a user can change", () => {
  const fixedWith = (fixed: string) =>
    specError(`name: x\nmethod: supervised\ngrid:\n  snr: [0.1]\nfixed: { ${fixed} }\n`).issues.map(
      (i) => `${i.path}: ${i.message}`,
    );
  assert.deepEqual(fixedWith('steps: 1.5'), ['fixed.steps: expected a whole number, got 1.5']);
  assert.deepEqual(fixedWith("d: 'abc'"), ["fixed.d: expected a number, got 'abc'"]);
  assert.deepEqual(fixedWith('lr: -1'), ['fixed.lr: expected a number greater than 0, got -1']);
  assert.deepEqual(fixedWith('p: 0.7'), ['fixed.p: expected a number less than 0.5, got 0.7']);
  const grid = specError('name: x\nmethod: supervised\ngrid:\n  n_labels: [4, 2.5]\n  snr: [0.1]\n');
  assert.deepEqual(
    grid.issues.map((i) => `${i.path}: ${i.message}`),
    ['grid.n_labels[1]: expected a whole number, got 2.5'],
  );
  const limit = specError(DESIGN_EXAMPLE, { maxCells: 10 }).message;
  assert.match(limit, /use fewer values on an axis.*PHASESWEEP_MAX_CELLS/);
  assert.doesNotMatch(limit, /maxCells/);
  for (const text of [fixedWith('steps: 1.5')[0], grid.message, limit])
    assert.doesNotMatch(text, /Invalid input|received|Too (small|big)/);
});

test('a folder given as the spec is named as such, not as a raw EISDIR', async () => {
  await assert.rejects(loadSpecFile(tmpdir()), (err: Error) => {
    assert.match(err.message, /cannot read the spec: it is a folder; give the path of a spec file/);
    assert.doesNotMatch(err.message, /EISDIR/);
    return true;
  });
});

test('resources.heartbeat_timeout: a duration of the one grammar (plain numbers are seconds), refused out of range with its path', () => {
  const withTimeout = (value: string) =>
    DESIGN_EXAMPLE.replace(
      'resources: {queue: train-cpu}',
      `resources: {queue: train-cpu, heartbeat_timeout: ${value}}`,
    );
  const seconds = (value: string) => parseSpecText(withTimeout(value), 'ok.yaml').resources.heartbeat_timeout;
  assert.equal(seconds('15'), 15);
  assert.equal(seconds('15s'), 15);
  assert.equal(seconds('2m'), 120);
  assert.equal(seconds('1d'), 86_400);
  assert.equal(parseSpecText(DESIGN_EXAMPLE, 'ok.yaml').resources.heartbeat_timeout, undefined);
  // The same spec however the duration is written.
  assert.equal(
    specHash(parseSpecText(withTimeout('2m'), 'a.yaml')),
    specHash(parseSpecText(withTimeout('120'), 'b.yaml')),
  );
  const grammar = 'a duration such as 500ms, 30s, 5m, 1h or 1d';
  for (const [bad, message] of [
    ['0', 'expected between 1s and 1d, got 0'],
    ['100000', 'expected between 1s and 1d, got 100000'],
    ['500ms', 'expected between 1s and 1d, got "500ms"'],
    ['2d', 'expected between 1s and 1d, got "2d"'],
    ['soon', `expected ${grammar}, got "soon"`],
    ["'1 day'", `expected ${grammar}, got "1 day"`],
    ['[30]', `expected ${grammar}`],
  ]) {
    const err = specError(withTimeout(bad));
    assert.deepEqual(
      err.issues.map((i) => `${i.path}: ${i.message}`),
      [`resources.heartbeat_timeout: ${message}`],
      bad,
    );
  }
});
