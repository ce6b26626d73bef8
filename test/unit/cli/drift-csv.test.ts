import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv } from '../../../cli/views/csv.ts';
import { gridDrift } from '../../../store/drift.ts';
import { supervisedGrid } from './paper-grid.ts';

describe('gridDrift', () => {
  it('flags a point only when each mean lies outside the other CI and the move exceeds the minimum', () => {
    const a = supervisedGrid();
    const b = supervisedGrid().map((p) =>
      p.n_labels === 16 && p.snr === 0.464
        ? { ...p, mean_test_error: 0.41, ci95_low: 0.4, ci95_high: 0.42 }
        : p.n_labels === 64 && p.snr === 0.359
          ? { ...p, mean_test_error: 0.26, ci95_low: 0.1, ci95_high: 0.4 }
          : p,
    );
    const report = gridDrift(a, b);
    assert.equal(report.compared, 40);
    assert.deepEqual(
      report.moved.map((m) => [m.n_labels, m.snr, Number(m.delta.toFixed(2))]),
      [[16, 0.464, 0.3]],
    );
  });
  it('uses mean ± minDelta for points without a CI', () => {
    const one = supervisedGrid().map((p) => ({ ...p, ci95_low: null, ci95_high: null }));
    const nudged = one.map((p) => ({ ...p, mean_test_error: p.mean_test_error! + 0.03 }));
    assert.equal(gridDrift(one, nudged, 0.05).moved.length, 0);
    assert.equal(gridDrift(one, nudged, 0.02).moved.length, 40);
  });
  it('counts points present in only one sweep', () => {
    const a = supervisedGrid();
    const report = gridDrift(
      a,
      a.filter((p) => p.n_labels !== 4),
    );
    assert.deepEqual([report.compared, report.only_in_a, report.only_in_b], [30, 10, 0]);
  });
});

describe('toCsv', () => {
  it('quotes commas, quotes and newlines, leaves nulls empty and writes dates as ISO', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: null, d: new Date(0), e: 'line\nbreak' }]);
    assert.equal(csv, 'a,b,c,d,e\n"x,y","say ""hi""",,1970-01-01T00:00:00.000Z,"line\nbreak"\n');
  });
});
