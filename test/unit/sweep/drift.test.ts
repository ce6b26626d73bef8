import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridDrift, type DriftSample } from '../../../sweep/drift.ts';
import { rng } from '../../helpers/store-fixtures.ts';

const SNRS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
const N_LABELS = [4, 16, 64, 256];
const FIXED = { d: 200, m: 10, q: 3, p: 0, sigma0: 0.01, sigma_p: 1, lr: 1, steps: 1000, n_test: 500 };

// A grid point's cells: one per test error, seeds from firstSeed on; `tag` (a trainer version, say)
// makes the cell keys, so that two sweeps share a cell only when they are given the same tag.
function point(
  n_labels: number,
  snr: number,
  errors: number[],
  fixed: Partial<typeof FIXED> = {},
  { tag = 'v1', firstSeed = 0 }: { tag?: string; firstSeed?: number } = {},
): DriftSample[] {
  const params = { method: 'supervised', n_labels, snr, ...FIXED, ...fixed };
  return errors.map((value, i) => ({
    cell_key: `${tag}|${JSON.stringify(params)}|${firstSeed + i}`,
    method: 'supervised',
    n_labels,
    n_unlabeled: null,
    snr,
    seed: firstSeed + i,
    params,
    value,
  }));
}

const meanOf = (samples: DriftSample[]) => samples.reduce((a, s) => a + s.value, 0) / samples.length;

// A sweep of the 4 x 6 grid: points below the boundary n * SNR^3 = boundary sit at chance (0.5, the
// seeds spread by the test-set sampling), points above it at 0.
// A sweep's points, each its cells. Each sweep trains its own cells (its own tag) on seeds from
// firstSeed: Welch between sweeps with disjoint seeds, a paired test between sweeps with the same.
let sweeps = 0;
function points(
  random: () => number,
  seeds: number,
  boundary = 2,
  fixed: Partial<typeof FIXED> = {},
  firstSeed = 0,
): DriftSample[][] {
  const tag = `sweep${sweeps++}`;
  return N_LABELS.flatMap((n) =>
    SNRS.map((snr) => {
      const learned = n * snr ** 3 > boundary;
      const errors = Array.from({ length: seeds }, () => (learned ? 0 : 0.5 + (random() - 0.5) * 0.12));
      return point(n, snr, errors, fixed, { tag, firstSeed });
    }),
  );
}
const sweep = (...args: Parameters<typeof points>) => points(...args).flat();

describe('gridDrift', () => {
  it('flags nothing between two runs of one grid, on other seeds (Welch) or the same (paired)', () => {
    for (let trial = 0; trial < 50; trial++) {
      const random = rng(trial);
      const welch = gridDrift(sweep(random, 4), sweep(random, 4, 2, {}, 4));
      assert.deepEqual([welch.compared, welch.retrained, welch.tested, welch.paired], [24, 24, 24, 0]);
      assert.deepEqual(welch.moved, [], `trial ${trial}`);
      const paired = gridDrift(sweep(random, 4), sweep(random, 4));
      assert.deepEqual([paired.tested, paired.paired], [24, 24]);
      assert.deepEqual(paired.moved, [], `trial ${trial}`);
    }
  });

  it('flags exactly the points a moved boundary changed, with their p- and q-values', () => {
    const random = rng(7);
    const a = points(random, 4, 2);
    const b = points(random, 4, 20, {}, 4);
    const changed = a.filter((pt, i) => meanOf(pt) < 0.1 && meanOf(b[i]) > 0.4);
    assert.ok(changed.length >= 3, 'the fixture moves some points');
    const report = gridDrift(a.flat(), b.flat());
    assert.deepEqual(
      report.moved.map((m) => [m.n_labels, m.snr]),
      changed.map((pt) => [pt[0].n_labels, pt[0].snr]),
    );
    for (const m of report.moved) {
      assert.ok(m.q_value <= 0.05 && m.p_value <= m.q_value && m.delta > 0.4);
      assert.equal(m.test, 'welch');
    }
  });

  it('a rerun that is all cache hits retrains nothing and tests nothing', () => {
    const a = sweep(rng(2), 4);
    const report = gridDrift(a, a);
    assert.deepEqual([report.compared, report.retrained, report.tested, report.moved.length], [24, 0, 0, 0]);
    // One point retrained (a new cell key) among cache hits: only it is tested.
    const b = a.map((s) => (s.n_labels === 4 && s.snr === 0.05 ? { ...s, cell_key: `${s.cell_key}|v2` } : s));
    const one = gridDrift(a, b);
    assert.deepEqual([one.compared, one.retrained, one.tested, one.paired], [24, 1, 1, 1]);
  });

  it('same seeds retrained: the paired test sees a small shift that the seed spread hides from Welch', () => {
    // The seeds' errors spread by ±0.15; the retrain moves every seed by +0.06 (±0.005).
    const base = [0.2, 0.45, 0.3, 0.1, 0.35, 0.25];
    const shift = [0.06, 0.065, 0.055, 0.06, 0.062, 0.058];
    const a = N_LABELS.map((n) => point(n, 1, base)).flat();
    const b = N_LABELS.map((n) =>
      point(
        n,
        1,
        base.map((e, i) => e + shift[i]),
        {},
        { tag: 'v2' },
      ),
    ).flat();
    const paired = gridDrift(a, b);
    assert.deepEqual([paired.tested, paired.paired, paired.moved.length], [4, 4, 4]);
    for (const m of paired.moved) {
      assert.equal(m.test, 'paired_t');
      assert.ok(Math.abs(m.delta - 0.06) < 1e-9);
      assert.deepEqual([m.seeds_before, m.seeds_after], [6, 6]);
    }
    // The same numbers on seeds the first sweep does not have: unpaired, and nothing is flagged.
    const reseeded = N_LABELS.map((n) =>
      point(
        n,
        1,
        base.map((e, i) => e + shift[i]),
        {},
        { tag: 'v2', firstSeed: 6 },
      ),
    ).flat();
    const welch = gridDrift(a, reseeded);
    assert.deepEqual([welch.tested, welch.paired, welch.moved.length], [4, 0, 0]);
  });

  it('a seed whose difference is an outlier switches the point to the signed-rank test', () => {
    const base = [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.11, 0.14, 0.15, 0.1];
    const after = [0.101, 0.123, 0.115, 0.137, 0.109, 0.131, 0.123, 0.155, 0.167, 0.44];
    const report = gridDrift(point(16, 1, base), point(16, 1, after, {}, { tag: 'v2' }), { minDelta: 0.01 });
    assert.equal(report.moved.length, 1);
    assert.equal(report.moved[0].test, 'wilcoxon');
    // scipy.stats.wilcoxon(d, method='exact'): p = 0.001953125 (2/2^10: every difference positive).
    assert.ok(Math.abs(report.moved[0].p_value - 0.001953125) < 1e-12);
  });

  it('fresh seeds against all earlier runs pooled: Welch over every earlier seed', () => {
    const random = rng(11);
    const earlier = [...sweep(random, 2, 2, {}, 0), ...sweep(random, 2, 2, {}, 2)];
    const tonight = sweep(random, 2, 20, {}, 4);
    const report = gridDrift(earlier, tonight);
    assert.deepEqual([report.compared, report.retrained, report.paired], [24, 24, 0]);
    assert.ok(report.moved.length > 0);
    for (const m of report.moved) assert.deepEqual([m.test, m.seeds_before, m.seeds_after], ['welch', 4, 2]);
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
    const report = gridDrift(sweep(random, 1), sweep(random, 1, 20, {}, 1));
    assert.deepEqual([report.compared, report.tested, report.moved.length], [24, 0, 0]);
  });

  it('ignores significant moves smaller than the minimum delta', () => {
    const a = N_LABELS.flatMap((n) => point(n, 1, [0.1, 0.101, 0.099, 0.1, 0.1]));
    const b = N_LABELS.flatMap((n) => point(n, 1, [0.13, 0.131, 0.129, 0.13, 0.13], {}, { tag: 'v2' }));
    assert.equal(gridDrift(a, b).moved.length, 0);
    assert.equal(gridDrift(a, b, { minDelta: 0.02 }).moved.length, 4);
  });

  it('counts points present in one sweep only; none shared when the grids are disjoint', () => {
    const random = rng(1);
    const a = sweep(random, 4);
    const report = gridDrift(
      a,
      a.filter((s) => s.n_labels !== 4),
    );
    assert.deepEqual([report.compared, report.only_in_a, report.only_in_b], [18, 6, 0]);
    const other = sweep(random, 4).map((s) => ({ ...s, snr: s.snr! * 3 }));
    assert.equal(gridDrift(a, other).compared, 0);
  });

  it('tells points apart by every parameter, SimCLR design choices included, and names fixed ones', () => {
    // Two heads per (n, SNR): the identity head at chance, the MLP head learned, in both sweeps.
    const simclr = (head: string, errors: number[], tag: string) =>
      N_LABELS.flatMap((n) =>
        SNRS.flatMap((snr) =>
          point(n, snr, errors, {}, { tag: `${tag}-${head}` }).map((s) => ({
            ...s,
            method: 'simclr',
            n_unlabeled: 100,
            params: { ...s.params, method: 'simclr', n_unlabeled: 100, projection_head: head },
          })),
        ),
      );
    const grid = (tag: string) => [
      ...simclr('identity', [0.5, 0.52, 0.48, 0.5], tag),
      ...simclr('mlp', [0, 0, 0.01, 0], tag),
    ];
    const report = gridDrift(grid('a'), grid('b'));
    assert.equal(report.compared, 2 * N_LABELS.length * SNRS.length);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.settings_differ, []);

    const fixed = gridDrift(simclr('linear', [0.5, 0.5], 'a'), simclr('mlp', [0.5, 0.5], 'b'));
    assert.deepEqual(fixed.settings_differ, [{ setting: 'projection_head', a: 'linear', b: 'mlp' }]);
    assert.equal(fixed.compared, N_LABELS.length * SNRS.length);
  });
});

describe("gridDrift of a program's points (method: command)", () => {
  // A program's cells as the store returns them: every parameter but the seed, so also the program's
  // identity, which holds the hash of its code.
  const programPoint = (codeHash: string, lr: number, errors: number[]): DriftSample[] =>
    errors.map((value, seed) => {
      const params = {
        method: 'command',
        lr,
        width: 2,
        command: { argv: ['python3', 'train.py'], env: {}, code_hash: codeHash },
      };
      return {
        cell_key: `${codeHash}|${lr}|${seed}`,
        method: 'command',
        n_labels: null,
        n_unlabeled: null,
        snr: null,
        seed,
        params,
        value,
        by_name: true,
        code_hash: codeHash,
      };
    });

  it('matches two versions of the program on its own parameters, not on its code hash', () => {
    const a = [...programPoint('v1', 0.1, [0.3, 0.31, 0.29]), ...programPoint('v1', 0.5, [0.2, 0.21, 0.19])];
    const b = [...programPoint('v2', 0.1, [0.5, 0.52, 0.49]), ...programPoint('v2', 0.5, [0.2, 0.22, 0.19])];
    const report = gridDrift(a, b);
    assert.deepEqual(
      [report.points_a, report.points_b, report.compared, report.retrained, report.tested, report.paired],
      [2, 2, 2, 2, 2, 2],
    );
    assert.deepEqual(report.code_hashes, { a: ['v1'], b: ['v2'] });
    assert.deepEqual(
      report.moved.map((m) => m.params),
      [{ method: 'command', lr: 0.1, width: 2 }],
    );
  });
});
