import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { farFromNormal, pairedTest, sampleSkewness } from '../../../sweep/paired-test.ts';

// Reference values from SciPy 1.17 (scipy.stats.ttest_rel, wilcoxon, skew), computed outside this
// code base; the inputs are listed beside each.
const close = (actual: number, expected: number, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);

describe('pairedTest', () => {
  it('differences near normal: paired t (ttest_rel)', () => {
    const before = [0.3, 0.28, 0.35, 0.31, 0.27];
    const after = [0.26, 0.25, 0.3, 0.29, 0.22];
    // ttest_rel(after, before): statistic -6.516946235415342, p 0.002862214865913681
    const r = pairedTest(before, after)!;
    assert.equal(r.test, 'paired_t');
    close(r.statistic, -6.516946235415342, 1e-9);
    close(r.p, 0.002862214865913681, 1e-12);
    // ttest_rel([0.3125, 0.5, 0.25, 0.375], [0.25, 0.5, 0.125, 0.375]): p 0.21516994256955002
    close(pairedTest([0.25, 0.5, 0.125, 0.375], [0.3125, 0.5, 0.25, 0.375])!.p, 0.21516994256955002);
  });

  it('one seed far off: Wilcoxon signed-rank, exact without ties', () => {
    const before = [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.11, 0.14];
    const after = [0.101, 0.123, 0.115, 0.137, 0.109, 0.131, 0.123, 0.44];
    // differences 0.001 0.003 ... 0.013 0.3: skew(bias=False) 2.820009287728011;
    // wilcoxon(d, method='exact'): p 0.0078125
    const r = pairedTest(before, after)!;
    assert.equal(r.test, 'wilcoxon');
    close(r.p, 0.0078125);
    assert.equal(r.statistic, 36, 'every rank positive: V = 8 * 9 / 2');
  });

  it('tied differences: the normal approximation with continuity and tie correction', () => {
    // differences 0.02 0.03 0.02 0.03 0.03 0.02 0.34 (ties only once the float noise of the
    // subtraction is rounded away); wilcoxon(d, method='approx', correction=True): p 0.02060029908628238
    const r = pairedTest(
      [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.11],
      [0.12, 0.15, 0.13, 0.16, 0.13, 0.14, 0.45],
    )!;
    assert.equal(r.test, 'wilcoxon');
    close(r.p, 0.02060029908628238, 1e-12);
  });

  it('exact differences: all zero is p = 1, a constant shift p = 0; below two pairs nothing', () => {
    assert.deepEqual(pairedTest([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]), { test: 'paired_t', statistic: 0, p: 1 });
    assert.equal(pairedTest([0.25, 0.5], [0.5, 0.75])!.p, 0);
    assert.equal(pairedTest([0.1], [0.2]), null);
    assert.throws(() => pairedTest([0.1, 0.2], [0.1]), RangeError);
  });
});

describe('the rule choosing the signed-rank test', () => {
  it('skewness matches scipy.stats.skew(bias=False)', () => {
    // skew([0.02, 0.03, 0.02, 0.03, 0.03, 0.02, 0.34], bias=False) = 2.635975021511656
    close(sampleSkewness([0.02, 0.03, 0.02, 0.03, 0.03, 0.02, 0.34]), 2.635975021511656, 1e-9);
    assert.equal(sampleSkewness([1, 1, 1, 1]), 0);
  });

  it('needs six pairs, then a skewness beyond ±1 or a difference beyond 3 scaled MADs', () => {
    assert.equal(
      farFromNormal([0.01, 0.02, 0.03, 0.02, 0.5]),
      false,
      'five pairs: t-test whatever the shape',
    );
    assert.equal(farFromNormal([0.01, 0.02, 0.03, 0.02, 0.025, 0.015]), false, 'near normal');
    assert.equal(farFromNormal([0.01, 0.02, 0.03, 0.02, 0.025, 0.5]), true, 'one seed far off');
    // symmetric (skewness 0) but with two far tails: caught by the MAD rule alone
    const tails = [-0.5, 0, 0.01, -0.01, 0.005, -0.005, 0.5];
    close(sampleSkewness(tails), 0, 1e-12);
    assert.equal(farFromNormal(tails), true);
    assert.equal(farFromNormal([0.05, 0.05, 0.05, 0.05, 0.05, 0.05]), false, 'no spread');
  });
});
