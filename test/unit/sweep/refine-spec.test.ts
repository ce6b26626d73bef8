import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refineSettings } from '../../../sweep/refine-axis.ts';
import { SpecError, parseSpecText, specHash } from '../../../sweep/spec.ts';
import { loadSpecFile } from '../../../infra/spec-file.ts';

const BASE = `name: r
method: supervised
grid:
  n_labels: [4, 8]
  snr: {geomspace: [0.1, 1.0, 4]}
  seed: {range: [0, 2]}
`;

function refineError(refine: string, grid = BASE): { path: string; line?: number; message: string } {
  try {
    parseSpecText(`${grid}refine: ${refine}\n`, 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
    return err.issues[0];
  }
  assert.fail('the spec was accepted');
}

test('the refine example parses with its settings; defaults fill the rest', async () => {
  const spec = await loadSpecFile(
    new URL('../../../examples/refine-supervised.yaml', import.meta.url).pathname,
  );
  assert.deepEqual(spec.refine, {
    axis: 'snr',
    metric: 'test_error',
    threshold: 0.25,
    resolution: 0.01,
    max_rounds: 8,
    points: 1,
  });
  const minimal = parseSpecText(`${BASE}refine: {axis: snr, resolution: 0.05}\n`, 'r.yaml');
  assert.deepEqual(minimal.refine, {
    axis: 'snr',
    metric: 'test_error',
    threshold: 0.25,
    resolution: 0.05,
    max_rounds: 8,
    points: 1,
  });
  const settings = refineSettings({ ...minimal, refine: minimal.refine! });
  assert.equal(settings.scale, 'log');
  assert.equal(settings.integer, false);
  // Adding refine: is a different sweep; leaving it out keeps the old hash.
  assert.notEqual(specHash(minimal), specHash(parseSpecText(BASE, 'r.yaml')));
});

test('any result metric is accepted; an unknown one is refused naming the list', () => {
  for (const metric of ['test_loss', 'signal_alignment', 'noise_memorization']) {
    const spec = parseSpecText(`${BASE}refine: {axis: snr, resolution: 0.05, metric: ${metric}}\n`, 'r.yaml');
    assert.equal(spec.refine?.metric, metric);
  }
  const issue = refineError('{axis: snr, resolution: 0.05, metric: accuracy}');
  assert.equal(issue.path, 'refine.metric');
  assert.match(issue.message, /test_error, test_loss/);
  assert.equal(issue.line, 7);
});

test('refine.axis must be a grid axis with two values, never the seed', () => {
  const notGrid = refineError('{axis: lr, resolution: 0.05}');
  assert.equal(notGrid.path, 'refine.axis');
  assert.match(notGrid.message, /'lr' is not a grid axis.*grid axes here: n_labels, snr/);
  assert.match(refineError('{axis: seed, resolution: 0.05}').message, /'seed' cannot be refined/);
  assert.match(refineError('{axis: width, resolution: 0.05}').message, /'width' cannot be refined/);
  const single = refineError(
    '{axis: snr, resolution: 0.05}',
    BASE.replace('{geomspace: [0.1, 1.0, 4]}', '[0.3]'),
  );
  assert.match(single.message, /'snr' has 1 value/);
  // A whole-number axis is refinable (its new values are rounded).
  const spec = parseSpecText(`${BASE}refine: {axis: n_labels, resolution: 0.01}\n`, 'r.yaml');
  assert.equal(refineSettings({ ...spec, refine: spec.refine! }).integer, true);
});

test('resolution, max_rounds and points out of range are refused where they are written', () => {
  assert.equal(refineError('{axis: snr, resolution: 0}').path, 'refine.resolution');
  assert.equal(refineError('{axis: snr, resolution: -1}').path, 'refine.resolution');
  const wide = refineError('{axis: snr, resolution: 1}');
  assert.equal(wide.path, 'refine.resolution');
  assert.match(wide.message, /below the axis's whole width 1 \(log10 units/);
  assert.equal(
    refineError('{axis: snr, resolution: 0.01}', BASE.replace('{geomspace: [0.1, 1.0, 4]}', '[0, 0.001]'))
      .path,
    'refine.resolution',
  );
  for (const bad of ['0', '31', '2.5', 'many']) {
    const issue = refineError(`{axis: snr, resolution: 0.05, max_rounds: ${bad}}`);
    assert.equal(issue.path, 'refine.max_rounds', bad);
  }
  assert.equal(refineError('{axis: snr, resolution: 0.05, points: 17}').path, 'refine.points');
  const unknown = refineError('{axis: snr, resolution: 0.05, tolerance: 1}');
  assert.equal(unknown.path, 'refine.tolerance');
  assert.match(unknown.message, /axis, metric, threshold, resolution, max_rounds, points, seeds, trace/);
  assert.equal(refineError('{resolution: 0.05}').path, 'refine.axis');
});

function refineErrors(refine: string, grid = BASE): { path: string; line?: number; col?: number }[] {
  try {
    parseSpecText(`${grid}refine: ${refine}\n`, 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    return err.issues.map(({ path, line, col }) => ({ path, line, col }));
  }
  assert.fail('the spec was accepted');
}

test('a refine section without resolution still reports every other refine error, each where it is', () => {
  const block = `
  axis: lr
  max_rounds: 0
  trace: {axis: width}
`;
  assert.deepEqual(refineErrors(block), [
    { path: 'refine.resolution', line: 8, col: 3 },
    { path: 'refine.max_rounds', line: 9, col: 15 },
    { path: 'refine.trace.resolution', line: 10, col: 10 },
    { path: 'refine.axis', line: 8, col: 9 },
    { path: 'refine.trace.axis', line: 10, col: 17 },
  ]);
  // The grid checks still run when the schema refused the section for a missing resolution.
  assert.deepEqual(
    refineErrors('{axis: snr, trace: {axis: snr, resolution: 0.1}}').map((i) => i.path),
    ['refine.resolution', 'refine.trace.axis'],
  );
  // A grid the schema refused is reported as such, without guesses about the refine axis.
  assert.deepEqual(
    refineErrors('{axis: snr}', BASE.replace('n_labels: [4, 8]', 'n_labels: {linspace: 3}')).map(
      (i) => i.path,
    ),
    ['grid.n_labels.linspace', 'refine.resolution'],
  );
});

test('refine.seeds and refine.trace parse with their defaults and are checked against the grid', () => {
  const spec = parseSpecText(
    `${BASE}refine: {axis: snr, resolution: 0.05, seeds: {}, trace: {axis: n_labels, resolution: 0.05}}\n`,
    'r.yaml',
  );
  assert.deepEqual(spec.refine?.seeds, { max: 32, ci_width: 0.02 });
  assert.deepEqual(spec.refine?.trace, { axis: 'n_labels', resolution: 0.05 });
  const issues = refineErrors(
    '{axis: snr, resolution: 0.05, seeds: {max: 0, ci_width: -1, n: 2}, trace: {axis: lr, resolution: 0}}',
  );
  assert.deepEqual(
    issues.map((i) => i.path),
    [
      'refine.seeds.max',
      'refine.seeds.ci_width',
      'refine.seeds.n',
      'refine.trace.resolution',
      'refine.trace.axis',
    ],
  );
  assert.match(
    refineError('{axis: snr, resolution: 0.05, trace: {axis: snr, resolution: 0.1}}').message,
    /the refined axis/,
  );
  assert.match(
    refineError('{axis: snr, resolution: 0.05, trace: {axis: n_labels, resolution: 0.1, step: 2}}').message,
    /unknown key; expected axis, resolution/,
  );
});
