// A user's program's grid points (`method: command`): parameters and metrics by its own names, drawn,
// chosen and compared like the built-in ones (the store side is in
// test/integration/command-metric-tallies.test.ts and command-metric-views.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseMetric } from '../../../cli/views/metric-choice.ts';
import { renderSweepHeatmaps } from '../../../cli/views/heatmap.ts';
import { gridSlices } from '../../../cli/views/grid-slices.ts';
import { axesOf, checkAxes, chooseAxes, varyingAxes } from '../../../cli/views/view-axes.ts';
import { renderDrift } from '../../../cli/views/drift.ts';
import type { NamedPoint } from '../../../store/grid-points.ts';
import { gridDrift, type DriftSample } from '../../../sweep/drift.ts';
import { summarizeMetric } from '../../../sweep/stats.ts';
import { metricProperties } from '../../../trainer/index.ts';

const N = [16, 64];
const LR = [0.01, 0.1, 1];

// val_err = 1 / (n * lr), acc = 1 - val_err, optimizer a categorical parameter.
function points(): NamedPoint[] {
  return N.flatMap((n) =>
    LR.flatMap((lr) =>
      ['sgd', 'adam'].map((optimizer) => {
        const err = 1 / (n * lr) / (optimizer === 'adam' ? 2 : 1);
        return {
          params: null,
          values: { method: 'command', n, lr, optimizer },
          cells: 3,
          seeds: 3,
          diverged: 0,
          failed: 0,
          round: 0,
          metrics: {
            val_err: summarizeMetric(3, err, 0.01),
            acc: summarizeMetric(3, 1 - err, 0.01),
          },
        };
      }),
    ),
  );
}

describe("a program's grid points", () => {
  it('are drawn over their own parameters, a categorical one splitting the panels', () => {
    const pts = points();
    assert.deepEqual(axesOf(pts), ['method', 'n', 'lr', 'optimizer']);
    assert.deepEqual(varyingAxes(pts), ['n', 'lr', 'optimizer']);
    assert.deepEqual(chooseAxes(pts, 'command', {}), { x: 'n', y: 'lr', facets: ['optimizer'] });
    const slices = gridSlices(pts, { metric: 'acc', x: 'lr', y: 'n' });
    assert.deepEqual(
      slices.map((s) => [s.title, s.x.scale, s.theory]),
      [
        ['command  optimizer=adam', 'log', null],
        ['command  optimizer=sgd', 'log', null],
      ],
    );
    assert.equal(slices[1].value(0.1, 64), 1 - 1 / 6.4);
    assert.match(
      renderSweepHeatmaps(pts, { color: false }, { metric: 'val_err', threshold: 0.25 }),
      /mean val_err over seeds/,
    );
  });

  it('refuse an axis and a metric they do not have, naming those they have', () => {
    const pts = points();
    assert.throws(
      () => checkAxes(pts, { x: 'snr' }),
      /^Error: --x snr: unknown axis; expected one of method, n, lr, optimizer$/,
    );
    assert.equal(chooseMetric(pts, { command: { metrics: ['val_err', 'acc'] } }, undefined, 's'), 'val_err');
    assert.equal(chooseMetric(pts, {}, 'acc', 's'), 'acc');
    assert.throws(
      () => chooseMetric(pts, { command: { metrics: ['val_err', 'acc'] } }, 'test_error', 's'),
      /^Error: --metric test_error: no result of sweep s carries it; available: val_err, acc$/,
    );
  });

  it('over one parameter: a single row, named by the method, not by a built-in axis it lacks', () => {
    const pts: NamedPoint[] = LR.map((lr) => ({
      ...points()[0]!,
      values: { method: 'command', lr },
      metrics: { loss: summarizeMetric(2, lr, 0.01) },
    }));
    assert.deepEqual(chooseAxes(pts, 'command', {}), { x: 'lr', y: 'method', facets: [] });
    const text = renderSweepHeatmaps(pts, { color: false }, { metric: 'loss', threshold: 0.25 });
    assert.doesNotMatch(text, /undefined|n_labels/);
    assert.match(text, /^\s+command\s+\.01/m);
  });
});

describe("a program's metric's direction", () => {
  it('is lower-is-better unless a word of its name says otherwise; built-ins keep theirs', () => {
    const better = (name: string) => metricProperties(name).better;
    assert.deepEqual(
      ['val_acc', 'test_auc', 'f1', 'mean.reward', 'val_err', 'loss', 'ece', 'accident_rate'].map(better),
      ['higher', 'higher', 'higher', 'higher', 'lower', 'lower', 'lower', 'lower'],
    );
    assert.equal(better('signal_alignment'), 'higher');
    assert.equal(metricProperties('val_acc').theory, false);
    assert.equal(metricProperties('test_error').theory, true);
  });
});

describe('drift between two runs of a program', () => {
  const sample = (run: string, n: number, seed: number, value: number, code: string): DriftSample => ({
    cell_key: `${run}:${n}:${seed}`,
    method: 'command',
    n_labels: null,
    n_unlabeled: null,
    snr: null,
    seed,
    params: { method: 'command', n },
    value,
    by_name: true,
    code_hash: code,
  });
  it('matches points on every parameter by name and names both code hashes', () => {
    const a = [16, 64].flatMap((n) => [0, 1, 2, 3].map((s) => sample('a', n, s, 0.2 + s * 0.001, 'c1')));
    const b = [16, 64].flatMap((n) =>
      [0, 1, 2, 3].map((s) => sample('b', n, s, (n === 64 ? 0.5 : 0.2) + s * 0.001, 'c2')),
    );
    const report = gridDrift(a, b);
    assert.equal(report.compared, 2);
    assert.deepEqual(report.code_hashes, { a: ['c1'], b: ['c2'] });
    assert.deepEqual(
      report.moved.map((m) => m.params),
      [{ method: 'command', n: 64 }],
    );
    const text = renderDrift(report, 'a', 'b', 'val_err');
    assert.match(text, /^metric: val_err\ncode changed: c1 → c2\n1 of 2 grid points moved/);
    assert.match(text, /\nn=64 {2}0\.2015 /);
  });
});
