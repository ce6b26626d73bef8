import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLANS } from '../../../study/design.ts';
import { evaluate } from '../../../study/evaluate.ts';
import { studySection } from '../../../study/section.ts';
import { CLAIMS, RECHECKS } from '../../../study/statements.ts';
import { summarize } from '../../../study/summarize.ts';
import { order, outcome, verdictOf } from '../../../study/verdicts.ts';
import type { CellParams } from '../../../trainer/index.ts';
import { syntheticStudy, type MetricsOf } from './synthetic-rows.ts';

// Seed-to-seed spread, so every variant has a finite interval over the reported seeds.
const jitter = (p: CellParams) => 0.01 * (p.seed % 4);
const claim = (id: string) => CLAIMS.find((c) => c.id === id)!;

// The nonlinear head's linear-probe error against the other heads'; everything else at 0.3.
const headWorld =
  (mlp: number, others: number): MetricsOf =>
  (p) => ({
    linear_probe_error: (p.projection_head === 'mlp' ? mlp : others) + jitter(p),
    test_error: 0.4 + jitter(p),
  });

describe('study verdicts', () => {
  it('orders intervals: separated below, above, overlapping, undefined', () => {
    assert.equal(order(summarize([0.1, 0.12, 0.11]), summarize([0.3, 0.31, 0.32])), 'lower');
    assert.equal(order(summarize([0.3, 0.31, 0.32]), summarize([0.1, 0.12, 0.11])), 'higher');
    assert.equal(order(summarize([0.1, 0.3, 0.2]), summarize([0.25, 0.15, 0.2])), 'overlap');
    assert.equal(order(summarize([0.1]), summarize([0.3, 0.31])), 'unknown');
    assert.equal(outcome('lower', 'lower'), 'holds');
    assert.equal(outcome('higher', 'lower'), 'fails');
    assert.equal(outcome('overlap', 'lower'), 'unresolved');
    assert.equal(outcome('higher', 'differs'), 'holds');
    assert.equal(outcome('overlap', 'same'), 'holds');
    assert.equal(outcome('lower', 'same'), 'fails');
    assert.equal(verdictOf(['holds', 'unresolved']), 'supported');
    assert.equal(verdictOf(['fails', 'unresolved']), 'contradicted');
    assert.equal(verdictOf(['holds', 'fails']), 'mixed');
    assert.equal(verdictOf(['unresolved', 'unmeasured']), 'not resolved');
  });

  it('the nonlinear-head verdict flips with the stored rows, and the why-sentence follows the verdict', () => {
    const helps = evaluate(claim('nonlinear-head'), syntheticStudy('quick', headWorld(0.1, 0.3)));
    const hurts = evaluate(claim('nonlinear-head'), syntheticStudy('quick', headWorld(0.3, 0.1)));
    const same = evaluate(claim('nonlinear-head'), syntheticStudy('quick', headWorld(0.3, 0.3)));
    assert.equal(helps.verdict, 'supported');
    assert.equal(hurts.verdict, 'contradicted');
    assert.equal(same.verdict, 'not resolved');
    // 2 head grids x 2 comparisons x 2 regimes x the quick plan's SNRs
    assert.equal(helps.rows.length, 8 * PLANS.quick.snrs.length);
    assert.ok(helps.rows.every((r) => r.a.mean! < r.b.mean!));
    // the fine-tuned error beside it does not decide, and here never separates
    assert.equal(hurts.besideVerdict, 'not resolved');

    const section = (results: ReturnType<typeof syntheticStudy>) =>
      studySection({
        mode: 'quick',
        results,
        claims: CLAIMS.map((c) => evaluate(c, results)),
        rechecks: RECHECKS.map((c) => evaluate(c, results)),
        effects: [],
        figures: {},
      });
    const headRow = (text: string) =>
      text.split('\n').find((l) => l.startsWith('| A nonlinear projection head helps'))!;
    assert.match(headRow(section(syntheticStudy('quick', headWorld(0.1, 0.3)))), /\*\*supported\*\*/);
    assert.doesNotMatch(headRow(section(syntheticStudy('quick', headWorld(0.1, 0.3)))), /ReLU/);
    assert.match(
      headRow(section(syntheticStudy('quick', headWorld(0.3, 0.1)))),
      /\*\*contradicted\*\*.*ReLU/,
    );
  });

  it('the batch and temperature verdicts read the batch grid by B and tau', () => {
    const world: MetricsOf = (p) => ({
      linear_probe_error:
        0.5 - 0.003 * (p.pretrain_batch ?? p.n_unlabeled) + (p.tau === 1 ? 0.2 : 0) + jitter(p),
    });
    const results = syntheticStudy('quick', world);
    assert.equal(evaluate(claim('batch-size'), results).verdict, 'supported');
    assert.equal(evaluate(claim('temperature'), results).verdict, 'supported');
    const flat = syntheticStudy('quick', (p) => ({ linear_probe_error: 0.3 + jitter(p) }));
    assert.equal(evaluate(claim('batch-size'), flat).verdict, 'not resolved');
    assert.equal(evaluate(claim('temperature'), flat).verdict, 'not resolved');
    const tauSame = RECHECKS.find((r) => r.id === 'tau-small-batches')!;
    assert.equal(evaluate(tauSame, flat).verdict, 'supported');
    assert.equal(evaluate(tauSame, results).verdict, 'contradicted');
  });

  it('cosine against the inner product crosses grids: by mean |cos| and by the probe separately', () => {
    const world: MetricsOf = (p) => ({
      pretrain_alignment: (p.similarity === 'cosine' ? 0.3 : 0.9) + jitter(p),
      probe_alignment: 0.8 + jitter(p),
    });
    const result = evaluate(
      RECHECKS.find((r) => r.id === 'cosine-aligns-worse')!,
      syntheticStudy('quick', world),
    );
    assert.equal(result.verdict, 'supported');
    assert.equal(result.besideVerdict, 'not resolved');
  });
});
