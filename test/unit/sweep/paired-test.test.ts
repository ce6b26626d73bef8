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
    close(r.p, 0.002862214865913681);
    // ttest_rel([0.3125, 0.5, 0.25, 0.375], [0.25, 0.5, 0.125, 0.375]): p 0.21516994256955002
    close(pairedTest([0.25, 0.5, 0.125, 0.375], [0.3125, 0.5, 0.25, 0.375])!.p, 0.21516994256955002);
  });

  it('one seed far off among ten: Wilcoxon signed-rank, exact without ties', () => {
    const before = [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.11, 0.14, 0.15, 0.1];
    const after = [0.098, 0.123, 0.115, 0.123, 0.109, 0.131, 0.123, 0.155, 0.167, 0.4];
    // differences -0.002 0.003 0.005 -0.007 0.009 0.011 0.013 0.015 0.017 0.3: skew(bias=False)
    // 3.1225922996586863; wilcoxon(d, method='exact'): statistic min(W+, W-) = 5, p 0.01953125
    const r = pairedTest(before, after)!;
    assert.equal(r.test, 'wilcoxon');
    close(r.p, 0.01953125);
    assert.equal(r.statistic, 55 - 5, 'V, the positive ranks: all 55 but ranks 1 and 4');
  });

  it('tied differences: the normal approximation with continuity and tie correction', () => {
    // differences 0.02 0.03 0.02 0.03 0.03 0.02 0.34 0.02 0.02 -0.01 0.02 (ties only once the float
    // noise of the subtraction is rounded away); wilcoxon(d, method='approx', correction=True):
    // p 0.004286516099373483
    const r = pairedTest(
      [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.11, 0.1, 0.12, 0.11, 0.13],
      [0.12, 0.15, 0.13, 0.16, 0.13, 0.14, 0.45, 0.12, 0.14, 0.1, 0.15],
    )!;
    assert.equal(r.test, 'wilcoxon');
    close(r.p, 0.004286516099373483);
  });

  it('a learned/unlearned mixture of six seeds stays with the t-test (too few pairs for ranks)', () => {
    // differences 0.675 0.435 0.52 0 0.755 0.41 (a trained sweep's point, one seed unmoved):
    // ttest_rel: p 0.007683620046578702, where the signed-rank test could not go below 2/2^5 = 0.0625
    const r = pairedTest([0, 0, 0, 0, 0, 0], [0.675, 0.435, 0.52, 0, 0.755, 0.41])!;
    assert.equal(r.test, 'paired_t');
    close(r.p, 0.007683620046578702);
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

  it('needs ten non-zero differences, then a skewness beyond ±1 or one beyond 3 scaled MADs', () => {
    const near = [0.01, 0.02, 0.03, 0.02, 0.025, 0.015, 0.018, 0.022, 0.027, 0.013];
    assert.equal(farFromNormal(near), false, 'near normal');
    assert.equal(farFromNormal([...near.slice(0, 9), 0.5]), true, 'one seed far off');
    assert.equal(farFromNormal([...near.slice(0, 8), 0.5]), false, 'nine pairs: t-test whatever the shape');
    assert.equal(farFromNormal([...near.slice(0, 8), 0, 0.5]), false, 'a zero difference does not count');
    // symmetric (skewness 0) but with two far tails: caught by the MAD rule alone
    const tails = [-0.5, 0.01, -0.01, 0.005, -0.005, 0.002, -0.002, 0.003, -0.003, 0.5];
    close(sampleSkewness(tails), 0, 1e-12);
    assert.equal(farFromNormal(tails), true);
    assert.equal(farFromNormal(Array<number>(12).fill(0.05)), false, 'no spread');
  });
});
