import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GRIDS, MODES, PLANS, REGIMES } from '../../../study/design.ts';
import { BEGIN_MARKER, END_MARKER, replaceSection } from '../../../study/readme-section.ts';
import { runReportOf } from '../../../study/run-sweeps.ts';
import { selectLr } from '../../../study/select-lr.ts';
import { specYaml, studySpec, sweepName } from '../../../study/specs.ts';
import { summarizeGrid } from '../../../study/summarize.ts';
import { mean } from '../../../sweep/stats.ts';
import { formatDiverged } from '../../../study/format.ts';
import type { CellParams } from '../../../trainer/index.ts';
import { syntheticRows } from './synthetic-rows.ts';

const grid = (name: string) => GRIDS.find((g) => g.name === name)!;

describe('study tables', () => {
  it('selectLr: lowest selection-seed probe error, then best_test_error, then the smaller rate; diverged loses', () => {
    const c = (lr: number, probe: (number | null)[], best: (number | null)[] = probe) => ({
      lr,
      linearProbeError: probe,
      bestTestError: best,
    });
    assert.equal(selectLr([c(0.1, [0.3, 0.2]), c(1, [0.1, 0.1]), c(10, [0.2, 0.2])]), 1);
    assert.equal(selectLr([c(0.1, [0.1], [0.3]), c(1, [0.1], [0.2])]), 1);
    assert.equal(selectLr([c(0.1, [0.1]), c(1, [0.1])]), 0.1);
    assert.equal(selectLr([c(0.1, [0.0, null]), c(1, [0.4, 0.4])]), 1);
    assert.equal(selectLr([c(0.1, [null])]), null);
  });

  it('each variant reports its selection-seed-chosen rate over the reported seeds only', () => {
    // The selection seeds prefer the largest rate for mlp and the smallest otherwise; reported seeds
    // would prefer the opposite, so a leak of either set into the other shows.
    const plan = PLANS.full;
    const lrs = plan.lrs.unit.dot;
    const rows = syntheticRows(grid('head-dot'), 'unit', 'full', (p) => {
      const selection = plan.selectionSeeds.includes(p.seed);
      const preferred = (p.projection_head === 'mlp') === selection ? lrs.at(-1) : lrs[0];
      return {
        linear_probe_error: (p.pretrain_lr === preferred ? 0.1 : 0.4) + 0.01 * p.seed,
        test_error: p.seed,
      };
    });
    const results = summarizeGrid(grid('head-dot'), 'unit', 'full', rows);
    assert.equal(results.length, 3 * plan.snrs.length);
    for (const r of results) {
      assert.equal(r.lr, r.variant.projection_head === 'mlp' ? lrs.at(-1) : lrs[0]);
      assert.equal(r.metrics.test_error.mean, mean(plan.seeds));
      assert.equal(r.metrics.test_error.n, plan.seeds.length);
      assert.ok(
        r.metrics.test_error.ci95_low! < mean(plan.seeds) &&
          r.metrics.test_error.ci95_high! > mean(plan.seeds),
      );
    }
  });

  it('a diverged cell is counted per variant, never averaged in, even if its row carries numbers', () => {
    // As the head-dot grid at norm 1 stored it before SimCLR divergence was flagged on the js path:
    // mlp seeds 1 and 3 ran away at the largest rate, with a head_change of 1e63 beside the flag.
    const plan = PLANS.full;
    const lrs = plan.lrs.unit.dot;
    const runaway = (p: CellParams) =>
      p.projection_head === 'mlp' && p.pretrain_lr === lrs.at(-1) && [1, 3].includes(p.seed);
    const rows = syntheticRows(grid('head-dot'), 'unit', 'full', (p) => ({
      linear_probe_error: p.pretrain_lr === lrs.at(-1) ? 0.1 : 0.4,
      head_change: runaway(p) ? 1e63 : 0.5 + 0.1 * p.seed,
      diverged: runaway(p),
    }));
    const results = summarizeGrid(grid('head-dot'), 'unit', 'full', rows);
    for (const r of results) {
      const mlp = r.variant.projection_head === 'mlp';
      assert.equal(r.lr, lrs.at(-1));
      assert.equal(r.done, plan.seeds.length);
      assert.equal(r.diverged, mlp ? 2 : 0);
      const kept = mlp ? [0, 2] : plan.seeds;
      assert.equal(r.metrics.head_change.n, kept.length);
      assert.ok(Math.abs(r.metrics.head_change.mean! - mean(kept.map((s) => 0.5 + 0.1 * s))) < 1e-12);
      assert.equal(formatDiverged(r), `${mlp ? 2 : 0} of ${plan.seeds.length}`);
    }
  });

  it('variants that are one cell are reported once (no mask: the signal direction never matters)', () => {
    const results = summarizeGrid(
      grid('augmentation'),
      'spec',
      'quick',
      syntheticRows(grid('augmentation'), 'spec', 'quick', () => ({})),
    );
    const unmasked = results.filter((r) => r.variant.augment_mask === 0);
    assert.deepEqual(new Set(unmasked.map((r) => r.variant.signal_direction)), new Set(['e1']));
    assert.equal(results.length, 9 * PLANS.quick.snrs.length);
  });

  it('replaces only the text between the markers, and refuses a README without them', () => {
    const readme = `# x\n\n${BEGIN_MARKER}\nold table\n${END_MARKER}\n\n## next\n`;
    const out = replaceSection(readme, 'new table');
    assert.equal(out, `# x\n\n${BEGIN_MARKER}\n\nnew table\n\n${END_MARKER}\n\n## next\n`);
    assert.equal(replaceSection(out, 'new table'), out);
    assert.throws(() => replaceSection('# x\n', 'y'), /no ".*" pair/);
  });

  it('the committed specs are the ones the command writes', () => {
    for (const mode of MODES) {
      for (const g of GRIDS) {
        for (const regime of REGIMES) {
          const file = new URL(
            `../../../study/specs/${mode}/${sweepName(g, regime, mode)}.yaml`,
            import.meta.url,
          );
          assert.equal(readFileSync(file, 'utf8'), specYaml(studySpec(g, regime, mode)), file.pathname);
        }
      }
    }
  });
});

describe('study sweeps', () => {
  it('reads the run report from the last line, past log lines of the in-process worker', () => {
    const report = '{"sweep_id":"s1","workflow_id":"w","status":"completed"}';
    assert.deepEqual(
      runReportOf(`\u001b[2m2026-12-06T12:11:00Z\u001b[0m WARN something\n${report}\n`),
      JSON.parse(report),
    );
    assert.throws(() => runReportOf('only a log line\n'), /printed no report/);
  });
});
