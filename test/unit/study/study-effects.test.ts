import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GRIDS, PLANS, type GridName, type Regime } from '../../../study/design.ts';
import { EFFECTS, measureEffects, type EffectRow } from '../../../study/effects.ts';
import { formatDifference } from '../../../study/format.ts';
import { cellLookup } from '../../../study/summarize.ts';
import { syntheticRows, type MetricsOf } from './synthetic-rows.ts';

const grid = (name: GridName) => GRIDS.find((g) => g.name === name)!;

// In the spec's regime the symmetric loss moves alignment by 1e-7 and tau only rescales the rate (the
// alignment is a function of pretrain_lr / tau); at norm 1 both move it by 0.05.
const world: MetricsOf = (p, regime) => {
  const unit = regime === 'unit';
  const base = 0.3 + 0.01 * p.seed + 0.1 * Math.log10(p.pretrain_lr / p.tau);
  const symmetric = p.symmetric ? (unit ? 0.05 : 1e-7) : 0;
  const tau = unit && p.tau === 0.1 ? 0.05 : 0;
  return {
    pretrain_alignment: base + symmetric + tau,
    probe_alignment: 0.8,
    linear_probe_error: 0.2,
  };
};

function measure(mode: 'full' | 'quick'): EffectRow[] {
  return measureEffects(mode, (name, regime) =>
    cellLookup(grid(name), regime, mode, syntheticRows(grid(name), regime, mode, world)),
  );
}

const rowOf = (rows: EffectRow[], id: string, regime: Regime) =>
  rows.filter((r) => r.effect.id === id && r.regime === regime);

describe('study effects', () => {
  it('pairs cells on the same seed and rate, and reads a 1e-7 difference as a no-op', () => {
    const rows = measure('full');
    const plan = PLANS.full;
    assert.equal(rows.length, EFFECTS.length * 2 * plan.snrs.length);
    for (const r of rowOf(rows, 'symmetric-dot', 'spec')) {
      assert.equal(r.pairs, plan.seeds.length * plan.lrs.spec.dot.length);
      assert.ok(Math.abs(r.largest.pretrain_alignment! - 1e-7) < 1e-9);
      assert.equal(r.largest.probe_alignment, 0);
      assert.equal(r.acts, false);
    }
    for (const r of rowOf(rows, 'symmetric-dot', 'unit')) {
      assert.ok(Math.abs(r.largest.pretrain_alignment! - 0.05) < 1e-9);
      assert.equal(r.acts, true);
    }
  });

  it('compares tau = 0.1 at rate lr with tau = 1 at 10 lr: one experiment where tau only rescales the rate', () => {
    const rows = measure('full');
    for (const r of rowOf(rows, 'tau-dot-as-rate', 'spec')) {
      // candidates 10x apart: two of the three rates have a partner
      assert.equal(r.pairs, PLANS.full.seeds.length * 2);
      assert.ok(r.largest.pretrain_alignment! < 1e-12);
      assert.equal(r.acts, false);
    }
    for (const r of rowOf(rows, 'tau-dot-as-rate', 'unit')) assert.equal(r.acts, true);
  });

  it('is "not measured" where no pair exists, and prints small differences with their exponent', () => {
    const rows = measure('quick');
    // the quick plan runs one inner-product rate, so tau = 0.1 at lr / 10 is never run
    for (const r of rowOf(rows, 'tau-dot-as-rate', 'spec')) {
      assert.equal(r.pairs, 0);
      assert.equal(r.acts, null);
    }
    assert.equal(formatDifference(1.04e-7), '1.0e-7');
    assert.equal(formatDifference(0.0512), '0.051');
    assert.equal(formatDifference(null), '–');
  });
});
