import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  slopeComparable,
  theoryExponentSql,
  theoryLine,
  theoryLinesText,
} from '../../../sweep/theory-lines.ts';

describe('theory lines (paper-spec 4.x)', () => {
  it('gives supervised training slope -1/q for q > 2 ([CAO22])', () => {
    assert.equal(theoryLine('supervised', 'n_labels', 3)?.slope, -1 / 3);
    assert.equal(theoryLine('supervised', 'n_labels', 4)?.slope, -1 / 4);
    assert.match(theoryLine('supervised', 'n_labels', 3)!.label, /n·SNR³ = c \[CAO22\]/);
  });
  it('gives the ReLU label-noise model (q = 1) slope -1/4, not -1 ([KOU23])', () => {
    const line = theoryLine('supervised', 'n_labels', 1)!;
    assert.equal(line.exponent, 4);
    assert.equal(line.slope, -0.25);
    assert.match(line.label, /KOU23/);
  });
  it('gives no CAO22 line under label noise, where KOU23 (q = 1) is the one stated', () => {
    assert.equal(theoryLine('supervised', 'n_labels', 3, 0.1), null);
    assert.match(theoryLine('supervised', 'n_labels', 1, 0.1)!.label, /KOU23/);
  });
  it("gives SimCLR's unlabeled sample size slope -1/2 for the ReLU^q fine-tuning (q > 2) of [ZC24], labelled sufficient", () => {
    const line = theoryLine('simclr', 'n_unlabeled', 3)!;
    assert.equal(line.slope, -0.5);
    assert.equal(line.sufficient, true);
    assert.match(line.label, /n0·SNR² = c \[ZC24, sufficient for d ≫ n0\]/);
    assert.equal(theoryLine('simclr', 'n_unlabeled', 1), null);
    assert.equal(theoryLine('simclr', 'n_unlabeled', 3, 0.1), null);
  });
  it('compares a sufficient condition only where every size is well below d', () => {
    const zc = theoryLine('simclr', 'n_unlabeled', 3)!;
    assert.equal(slopeComparable(zc, [5, 10, 20], 200), true);
    assert.equal(slopeComparable(zc, [25, 100, 400], 200), false);
    assert.equal(slopeComparable(theoryLine('supervised', 'n_labels', 3)!, [4, 4096], 200), true);
  });
  it('gives lines only for the error metrics the theorems are about', () => {
    assert.ok(theoryLine('supervised', 'n_labels', 3, 0, 'best_test_error'));
    assert.equal(theoryLine('simclr', 'n_unlabeled', 3, 0, 'pretrain_alignment'), null);
    assert.equal(theoryLine('supervised', 'n_labels', 3, 0, 'signal_alignment'), null);
  });
  it('gives no line where no theorem applies', () => {
    assert.equal(theoryLine('supervised', 'n_labels', 2), null);
    assert.equal(theoryLine('supervised', 'n_labels', 1.5), null);
    assert.equal(theoryLine('simclr', 'n_labels', 3), null);
    assert.equal(theoryLine('supervised', 'n_unlabeled', 3), null);
    assert.equal(theoryLine('noop', 'n_labels', 3), null);
  });
  it('compiles the p and metric conditions into SQL: a query names its p and metric columns', () => {
    const sql = theoryExponentSql({ method: 'm', q: 'q', p: 'p', size: 's', metric: 'x' });
    assert.match(sql, /p = 0 THEN q/);
    assert.match(sql, /p >= 0 THEN 4/);
    assert.match(sql, /^CASE WHEN x IN \('test_error', 'best_test_error', 'test_loss'\) THEN/);
  });
  it('says where each line is drawn, from the same list', () => {
    assert.equal(
      theoryLinesText(),
      'k = 4 for supervised over n_labels at q = 1, p ≥ 0 [KOU23]; ' +
        'k = q for supervised over n_labels at q > 2, p = 0 [CAO22]; ' +
        'k = 2 for simclr over n_unlabeled at q > 2, p = 0 [ZC24, a sufficient condition for d ≫ size]',
    );
  });
});
