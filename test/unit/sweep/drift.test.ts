import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridDrift, type DriftInput } from '../../../sweep/drift.ts';
import { rng } from '../../helpers/store-fixtures.ts';

const SNRS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
const N_LABELS = [4, 16, 64, 256];
const FIXED = { d: 200, m: 10, q: 3, p: 0, sigma0: 0.01, sigma_p: 1, lr: 1, steps: 1000, n_test: 500 };

// A grid point summarized from per-seed test errors, as the grid_point_stats view does.
function point(
  n_labels: number,
  snr: number,
  errors: number[],
  fixed: Partial<typeof FIXED> = {},
): DriftInput {
  const n = errors.length;
  const mean = errors.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(errors.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return {
    method: 'supervised',
    n_labels,
    n_unlabeled: null,
    snr,
    n,
    mean_test_error: mean,
    sd_test_error: sd,
    ci95_low: null,
    ci95_high: null,
    params: { method: 'supervised', n_labels, snr, ...FIXED, ...fixed },
  };
}

// A sweep of the 4 x 6 grid: points below the boundary n * SNR^3 = boundary sit at chance (0.5, the
// seeds spread by the test-set sampling), points above it at 0.
function sweep(random: () => number, seeds: number, boundary = 2, fixed: Partial<typeof FIXED> = {}) {
  return N_LABELS.flatMap((n) =>
    SNRS.map((snr) => {
      const learned = n * snr ** 3 > boundary;
      const errors = Array.from({ length: seeds }, () => (learned ? 0 : 0.5 + (random() - 0.5) * 0.12));
      return point(n, snr, errors, fixed);
    }),
  );
}

describe('gridDrift', () => {
  it('flags nothing between two runs of one grid with different seeds, at chance and at 0', () => {
    for (let trial = 0; trial < 50; trial++) {
      const random = rng(trial);
      const report = gridDrift(sweep(random, 4), sweep(random, 4));
      assert.equal(report.compared, 24);
      assert.equal(report.tested, 24);
      assert.deepEqual(report.moved, [], `trial ${trial}`);
    }
  });

  it('flags exactly the points a moved boundary changed, with their p- and q-values', () => {
    const random = rng(7);
    const a = sweep(random, 4, 2);
    const b = sweep(random, 4, 20);
    const changed = a.filter((pt, i) => pt.mean_test_error! < 0.1 && b[i].mean_test_error! > 0.4);
    assert.ok(changed.length >= 3, 'the fixture moves some points');
    const report = gridDrift(a, b);
    assert.deepEqual(
      report.moved.map((m) => [m.n_labels, m.snr]),
      changed.map((pt) => [pt.n_labels, pt.snr]),
    );
    for (const m of report.moved) assert.ok(m.q_value <= 0.05 && m.p_value <= m.q_value && m.delta > 0.4);
  });

  it('names fixed settings that differ and still matches the points', () => {
    const random = rng(3);
    const report = gridDrift(sweep(random, 4), sweep(random, 4, 20, { steps: 100, lr: 0.5 }));
    assert.deepEqual(report.settings_differ, [
      { setting: 'lr', a: 1, b: 0.5 },
      { setting: 'steps', a: 1000, b: 100 },
    ]);
    assert.equal(report.compared, 24);
    assert.ok(report.moved.length > 0);
  });

  it('a setting that is an axis of a grid is matched on, not reported', () => {
    const random = rng(5);
    const a = [...sweep(random, 4), ...sweep(random, 4, 2, { lr: 0.5 })];
    const report = gridDrift(a, sweep(random, 4));
    assert.deepEqual(report.settings_differ, []);
    assert.deepEqual([report.compared, report.only_in_a, report.only_in_b], [24, 24, 0]);
  });

  it('does not test points with fewer than two seeds on a side', () => {
    const random = rng(9);
    const report = gridDrift(sweep(random, 1), sweep(random, 1, 20));
    assert.deepEqual([report.compared, report.tested, report.moved.length], [24, 0, 0]);
  });

  it('ignores significant moves smaller than the minimum delta', () => {
    const a = N_LABELS.map((n) => point(n, 1, [0.1, 0.101, 0.099, 0.1, 0.1]));
    const b = N_LABELS.map((n) => point(n, 1, [0.13, 0.131, 0.129, 0.13, 0.13]));
    assert.equal(gridDrift(a, b).moved.length, 0);
    assert.equal(gridDrift(a, b, { minDelta: 0.02 }).moved.length, 4);
  });

  it('counts points present in one sweep only; none shared when the grids are disjoint', () => {
    const random = rng(1);
    const a = sweep(random, 4);
    const report = gridDrift(
      a,
      a.filter((pt) => pt.n_labels !== 4),
    );
    assert.deepEqual([report.compared, report.only_in_a, report.only_in_b], [18, 6, 0]);
    const other = sweep(random, 4).map((pt) => ({ ...pt, snr: pt.snr * 3 }));
    assert.equal(gridDrift(a, other).compared, 0);
  });

  it('tells points apart by every parameter, SimCLR design choices included, and names fixed ones', () => {
    // Two heads per (n, SNR): the identity head at chance, the MLP head learned, in both sweeps.
    const simclr = (head: string, errors: number[]) =>
      N_LABELS.flatMap((n) =>
        SNRS.map((snr) => {
          const pt = point(n, snr, errors);
          return {
            ...pt,
            method: 'simclr',
            n_unlabeled: 100,
            params: { ...pt.params, method: 'simclr', n_unlabeled: 100, projection_head: head },
          };
        }),
      );
    const grid = () => [...simclr('identity', [0.5, 0.52, 0.48, 0.5]), ...simclr('mlp', [0, 0, 0.01, 0])];
    const report = gridDrift(grid(), grid());
    assert.equal(report.compared, 2 * N_LABELS.length * SNRS.length);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.settings_differ, []);

    const fixed = gridDrift(simclr('linear', [0.5, 0.5]), simclr('mlp', [0.5, 0.5]));
    assert.deepEqual(fixed.settings_differ, [{ setting: 'projection_head', a: 'linear', b: 'mlp' }]);
    assert.equal(fixed.compared, N_LABELS.length * SNRS.length);
  });
});
