import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { gridSlices } from '../../../cli/views/grid-slices.ts';
import { renderSweepHeatmaps, slicesJson } from '../../../cli/views/heatmap.ts';
import { axisOf, valueOf, varyingAxes } from '../../../cli/views/view-axes.ts';
import type { BuiltInPoint as GridPoint } from '../../../store/grid-points.ts';
import { point, simclrGrid } from '../../helpers/paper-grid.ts';

// pretrain_batch written out at n_unlabeled (64) is the same cell as when left out, so the stored
// point has none: every view still shows the value it ran at.
const batches = (): GridPoint[] =>
  [16, 64].flatMap((batch) =>
    [0.05, 0.1, 0.2, 0.4].flatMap((snr) =>
      [4, 16].map((n) => point('simclr', n, 64, snr, snr >= 0.2 ? 0 : 0.5, { pretrain_batch: batch })),
    ),
  );

describe('values, never "default"', () => {
  it('stores the batch equal to n_unlabeled as left out, and views show its value', () => {
    const full = batches().find((pt) => pt.params.pretrain_batch === undefined)!;
    assert.equal(valueOf(full, 'pretrain_batch'), 64);
    assert.equal(valueOf(full, 'head_dim'), 20);
  });

  it('keeps the axis numeric, with the values as ticks and in panel titles', () => {
    const axis = axisOf('pretrain_batch', batches());
    assert.deepEqual(axis.values, [16, 64]);
    assert.notEqual(axis.scale, 'category');
    const slices = gridSlices(batches(), { metric: 'test_error' });
    assert.deepEqual(
      slices.map((s) => s.title),
      ['simclr  pretrain_batch=16  d=200 q=3 p=0', 'simclr  pretrain_batch=64  d=200 q=3 p=0'],
    );
    const text = renderSweepHeatmaps(batches(), { color: false });
    assert.doesNotMatch(text, /default/);
    const drawn = { metric: 'test_error', threshold: 0.25, x: 'pretrain_batch', y: 'snr' } as const;
    const [panel] = slicesJson(batches(), drawn) as { x: { scale: string; values: unknown[] } }[];
    assert.equal(panel!.x.scale, 'log');
    assert.deepEqual(panel!.x.values, [16, 64]);
    const spec = JSON.stringify(phaseDiagramSpec(batches(), { text: 'b' }, drawn));
    assert.doesNotMatch(spec, /default/);
    assert.match(spec, /"values":\[16,64\]/);
  });

  it('does not split panels by a width that only follows n_unlabeled', () => {
    assert.ok(!varyingAxes(simclrGrid()).includes('pretrain_batch'));
    assert.ok(varyingAxes(batches()).includes('pretrain_batch'));
    assert.ok(!varyingAxes(batches()).includes('head_dim'));
  });
});
