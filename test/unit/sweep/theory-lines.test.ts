import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { theoryLine } from '../../../sweep/theory-lines.ts';

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
  it("gives SimCLR's unlabeled sample size slope -1/2 whatever q is ([ZC24])", () => {
    for (const q of [1, 3]) assert.equal(theoryLine('simclr', 'n_unlabeled', q)?.slope, -0.5);
  });
  it('gives no line where no theorem applies', () => {
    assert.equal(theoryLine('supervised', 'n_labels', 2), null);
    assert.equal(theoryLine('supervised', 'n_labels', 1.5), null);
    assert.equal(theoryLine('simclr', 'n_labels', 3), null);
    assert.equal(theoryLine('supervised', 'n_unlabeled', 3), null);
    assert.equal(theoryLine('noop', 'n_labels', 3), null);
  });
});
