import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BOUNDARY_CSV_COLUMNS,
  boundariesCsvRows,
  boundariesJson,
  boundarySlopes,
  renderBoundaries,
} from '../../../cli/views/boundaries.ts';
import { toCsv } from '../../../cli/views/csv.ts';
import { refineStatus } from '../../../cli/views/refine-progress.ts';
import type { BoundaryRecord, BoundarySlopeRecord } from '../../../store/boundaries.ts';

function record(
  n: number,
  crossing: number | null,
  kind: BoundaryRecord['kind'] = 'crossing',
): BoundaryRecord {
  return {
    sweep_id: 's',
    group_key: `g${n}`,
    source: 'refine',
    group_values: { method: 'supervised', n_labels: n },
    axis: 'snr',
    metric: 'test_error',
    threshold: 0.25,
    kind,
    crossing,
    bracket_low: crossing === null ? null : crossing * 0.99,
    bracket_high: crossing === null ? null : crossing * 1.01,
    ci95_low: crossing === null ? null : crossing * 0.8,
    ci95_high: crossing === null ? null : crossing * 1.3,
    seeds: 4,
    resamples: 2000,
    no_crossing: n === 4 ? 37 : 0,
    crossings: crossing === null ? 0 : kind === 'non_monotone' ? 3 : 1,
    open_brackets: 0,
    brackets: [],
    range_low: 0.1,
    range_high: 1,
    rounds: 6,
    cells: 20,
    traced: false,
    updated_at: new Date(0),
  };
}

// n * SNR*^3 = 2 exactly, a row with no crossing and a non-monotone one.
const RECORDS = [4, 16, 64]
  .map((n) => record(n, (2 / n) ** (1 / 3)))
  .concat([record(256, null, 'all_below'), record(512, 0.2, 'non_monotone')]);

const SLOPE: BoundarySlopeRecord = {
  sweep_id: 's',
  part_key: 'k',
  source: 'refine',
  where_values: { method: 'supervised' },
  axis: 'snr',
  x_axis: 'n_labels',
  slope: -1 / 3,
  ci95_low: -0.52,
  ci95_high: -0.2,
  ols95_low: -0.34,
  ols95_high: -0.32,
  groups: 3,
  resamples: 2000,
  failed_resamples: 4,
  left_out: [
    { x: 256, reason: 'no_crossing' },
    { x: 512, reason: 'non_monotone' },
  ],
  updated_at: new Date(0),
};

test('boundariesJson: crossing, its interval over seeds and the grid bracket, per group by name', () => {
  const json = boundariesJson(RECORDS);
  assert.equal(json.length, 5);
  assert.equal(json[0].n_labels, 4);
  assert.equal(json[0].method, 'supervised');
  assert.deepEqual(json[0].ci95, [RECORDS[0].ci95_low, RECORDS[0].ci95_high]);
  assert.deepEqual(json[0].grid_bracket, [RECORDS[0].bracket_low, RECORDS[0].bracket_high]);
  assert.deepEqual([json[0].seeds, json[0].resamples, json[0].no_crossing], [4, 2000, 37]);
  assert.equal('bracket' in json[0], false);
  assert.deepEqual([json[0].rounds, json[0].cells], [6, 20]);
  assert.equal(json[3].crossing, null);
  assert.equal(json[3].ci95, null);
  assert.equal(json[3].grid_bracket, null);
  assert.equal(json[3].kind, 'all_below');
});

test('boundarySlopes: the stored slope with its bootstrap and OLS intervals, next to the theory', () => {
  const [fit] = boundarySlopes([SLOPE], RECORDS, { q: 3, p: 0, d: 200 });
  assert.deepEqual(
    [fit.x_axis, fit.groups, fit.slope, fit.ci95, fit.ols_ci95],
    ['n_labels', 3, -1 / 3, [-0.52, -0.2], [-0.34, -0.32]],
  );
  assert.deepEqual(fit.left_out, SLOPE.left_out);
  assert.ok(Math.abs(fit.theory_slope! + 1 / 3) < 1e-12);
  // q = 2 has no theory line (paper-spec gives none between 1 and 2 exclusive of the q > 2 case).
  assert.equal(boundarySlopes([SLOPE], RECORDS, { q: 2, p: 0, d: 200 })[0].theory_slope, null);
  assert.equal(
    boundarySlopes([{ ...SLOPE, axis: 'lr' }], RECORDS, { q: 3, p: 0, d: 200 })[0].theory_slope,
    null,
  );
});

test('renderBoundaries: interval, seeds and grid bracket; non-monotone flagged; the fit names what it left out', () => {
  const text = renderBoundaries(RECORDS, boundarySlopes([SLOPE], RECORDS, { q: 3, p: 0, d: 200 }));
  assert.match(text, /n_labels=256 +no boundary in range: test_error < 0.25 over 0.1..1/);
  assert.match(
    text,
    /n_labels=4 +0\.7937 \(95% CI 0\.635 to 1\.032, 4 seeds, 37\/2000 resamples off the grid\) grid \[0\.7858, 0\.8016\]/,
  );
  assert.match(text, /non-monotone: 3 crossings, left out of the slope/);
  assert.match(
    text,
    /slope d log snr\* \/ d log n_labels \[method=supervised\]: -0\.333 \(95% CI -0\.52 to -0\.2; OLS -0\.34 to -0\.32\), theory -0\.333, 3 groups; left out: n_labels=256 \(no-crossing\), n_labels=512 \(non-monotone\)/,
  );
});

test('refineStatus: round, open brackets and cells per round; nothing without refine', () => {
  assert.equal(refineStatus({ refine: null }), '');
  const line = refineStatus({
    refine: {
      round: 2,
      max_rounds: 8,
      open_brackets: 1,
      brackets: [{ group: { method: 'supervised', n_labels: 16 }, low: 0.3831, high: 0.4642 }],
      cells_per_round: [16, 4, 4],
    },
  });
  assert.equal(line, 'round 2/8, 1 bracket open (n_labels=16 [0.383, 0.464]), cells per round 16+4+4');
});

test('boundarySlopes: the theory only where paper-spec states it, ZC24 compared only for n0 well below d', () => {
  // Label noise: no CAO22 line at q = 3 (KOU23's q = 1 line is the one for p > 0).
  assert.equal(boundarySlopes([SLOPE], RECORDS, { q: 3, p: 0.1, d: 200 })[0].theory_slope, null);
  assert.equal(boundarySlopes([SLOPE], RECORDS, { q: 1, p: 0.1, d: 200 })[0].theory_slope, -0.25);
  // Alignments are not what the theorems are about.
  const aligned = RECORDS.map((r) => ({ ...r, metric: 'signal_alignment' }));
  assert.equal(boundarySlopes([SLOPE], aligned, { q: 3, p: 0, d: 200 })[0].theory_slope, null);
  // SimCLR over n0 = 25..400 at d = 200: the sufficient condition is not compared, and show says so.
  const simclr = [25, 100, 400].map((n0) => ({
    ...record(n0, (4 / n0) ** 0.5),
    group_values: { method: 'simclr', n_unlabeled: n0 },
  }));
  const simclrSlope: BoundarySlopeRecord = {
    ...SLOPE,
    where_values: { method: 'simclr' },
    x_axis: 'n_unlabeled',
    slope: -0.5,
    left_out: [],
  };
  const [far] = boundarySlopes([simclrSlope], simclr, { q: 3, p: 0, d: 200 });
  assert.equal(far.theory_slope, null);
  assert.match(far.theory_note!, /not compared with n0·SNR² = c \[ZC24, sufficient for d ≫ n0\]/);
  assert.match(renderBoundaries(simclr, [far]), /n_unlabeled \[method=simclr\]: -0.5 .*; not compared/);
  assert.equal(boundarySlopes([simclrSlope], simclr, { q: 3, p: 0, d: 10_000 })[0].theory_slope, -0.5);
});

test('rows refine.trace added are marked traced in show and show --json', () => {
  const traced = { ...record(32, 0.4), traced: true };
  const records = [record(16, 0.5), traced, record(64, 0.315)];
  assert.deepEqual(
    boundariesJson(records).map((b) => [b.n_labels, b.traced]),
    [
      [16, false],
      [32, true],
      [64, false],
    ],
  );
  const lines = renderBoundaries(records, []).split('\n');
  assert.equal(lines.filter((l) => l.includes('(traced)')).length, 1);
  assert.match(
    lines.find((l) => l.includes('(traced)'))!,
    /n_labels=32 \(traced\)/,
  );
});

test('an export without boundaries has the header an export with them has', () => {
  const [row] = boundariesCsvRows(boundariesJson([record(16, 0.5)]));
  const columns = Object.keys(row).filter((key) => !(key in record(16, 0.5).group_values));
  assert.deepEqual([...BOUNDARY_CSV_COLUMNS], columns);
  assert.deepEqual([row.ci95_low, row.ci95_high, row.grid_bracket_low], [0.4, 0.65, 0.495]);
});

test('export --boundaries marks the rows refine.trace added in its CSV', () => {
  const rows = boundariesCsvRows(boundariesJson([record(16, 0.5), { ...record(32, 0.4), traced: true }]));
  const csv = toCsv(rows).trim().split('\n');
  const at = csv[0]!.split(',').indexOf('traced');
  assert.ok(at >= 0, csv[0]);
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',')[at]),
    ['false', 'true'],
  );
});
