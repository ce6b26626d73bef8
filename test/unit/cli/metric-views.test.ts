import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { axisEncoding } from '../../../cli/plots/plot-axes.ts';
import { renderSvg } from '../../../cli/plots/render.ts';
import { sliceBoundary } from '../../../cli/views/boundary-fit.ts';
import { gridSlices } from '../../../cli/views/grid-slices.ts';
import {
  describeFit,
  omittedPanels,
  renderHeatmap,
  renderSweepHeatmaps,
  slicesJson,
} from '../../../cli/views/heatmap.ts';
import type { BuiltInPoint as GridPoint } from '../../../store/grid-points.ts';
import { point, simclrGrid, supervisedAt63, supervisedGrid } from '../../helpers/paper-grid.ts';

// Views that know the metric: which methods carry it, which way is good, and whether the papers'
// theorems are about it (trainer/result-metrics.ts).

/** SimCLR points with a pre-training alignment that rises with n0 · SNR² (the supervised ones have none). */
function withAlignment(points: GridPoint[]): GridPoint[] {
  return points.map((pt) => {
    if (pt.params.method !== 'simclr') return pt;
    const mean = Math.min(1, pt.params.n_unlabeled * pt.params.snr ** 2);
    return {
      ...pt,
      metrics: { ...pt.metrics, pretrain_alignment: { n: 2, mean, ci95_low: null, ci95_high: null } },
    };
  });
}
const both = (): GridPoint[] => withAlignment([...supervisedAt63(), ...simclrGrid()]);
const ALIGN = { metric: 'pretrain_alignment', threshold: 0.5 } as const;

type Panel = {
  title: { text: string[]; subtitle: string[]; limit: number };
  layer: {
    description?: string;
    mark: { type: string };
    encoding: Record<string, Record<string, unknown>>;
  }[];
};
type Figure = { title: { subtitle: string[] }; vconcat: { concat: Panel[]; columns: number }[] };
const figure = (spec: unknown): Figure => spec as Figure;

describe('panels of methods the metric does not apply to', () => {
  it('are left out of show and plot, with one line saying so', () => {
    const note = 'no supervised panel: pretrain_alignment is measured for simclr only';
    const slices = gridSlices(both(), ALIGN);
    assert.ok(slices.length > 0 && slices.every((s) => s.method === 'simclr'));
    assert.equal(omittedPanels(both(), ALIGN), note);
    assert.equal(omittedPanels(both()), null);
    const text = renderSweepHeatmaps(both(), { color: false }, ALIGN);
    assert.equal(text.split('\n')[0], note);
    assert.ok(!text.includes('supervised  '));
    const fig = figure(phaseDiagramSpec(both(), { text: 'demo' }, ALIGN));
    assert.ok(fig.title.subtitle.includes(note));
    const heatmapTitles = fig.vconcat.flatMap((b) => b.concat.map((p) => [p.title.text].flat().join(' ')));
    assert.ok(!heatmapTitles.some((t) => t.startsWith('supervised')), heatmapTitles.join(' | '));
  });
});

describe('theory lines only for the error metrics the theorems are about', () => {
  it('draws none and compares no slope for an alignment', () => {
    for (const panel of slicesJson(both(), ALIGN) as {
      boundary: { theory: unknown; theory_slope: unknown };
    }[]) {
      assert.equal(panel.boundary.theory, null);
      assert.equal(panel.boundary.theory_slope, null);
    }
    assert.doesNotMatch(renderSweepHeatmaps(both(), { color: false }, ALIGN), /CAO22|ZC24|theory -1/);
    const fig = figure(phaseDiagramSpec(both(), { text: 'demo' }, ALIGN));
    assert.ok(
      fig.vconcat.flatMap((b) => b.concat).every((p) => !p.layer?.some((l) => l.description === 'theory')),
    );
  });

  it("sets SimCLR's slope against ZC24 only where n0 is well below d, and says so", () => {
    // 6.3's n0 of 25 to 1,600 at d = 200: ZC24's sufficient condition is drawn, its slope not compared.
    const [simclr] = gridSlices(simclrGrid(), { metric: 'test_error' });
    const boundary = sliceBoundary(simclr!);
    const fit = describeFit(simclr!, boundary);
    assert.match(
      fit,
      /not compared with n0·SNR² = c \[ZC24, sufficient for d ≫ n0\]: it holds for n0 well below d \(≤ 20 at d = 200\)/,
    );
    assert.doesNotMatch(fit, /theory -1\/2/);
    const [panel] = slicesJson(simclrGrid(), { metric: 'test_error', threshold: 0.25 }) as {
      boundary: { theory_slope: number | null; theory_note: string | null };
    }[];
    assert.equal(panel!.boundary.theory_slope, null);
    assert.match(panel!.boundary.theory_note!, /well below d/);
    const fig = figure(phaseDiagramSpec(simclrGrid(), { text: 'simclr' }));
    const subtitle = fig.vconcat[0]!.concat[0]!.title.subtitle.join(' ');
    assert.match(subtitle, /sufficient for d ≫ n0/);
    assert.match(subtitle, /not compared/);
    assert.doesNotMatch(subtitle, /vs theory/);
  });

  it('compares it where every n0 is at most d / 10', () => {
    const small = simclrGrid().map((pt) => ({ ...pt, params: { ...pt.params, d: 20_000 } }) as GridPoint);
    const [simclr] = gridSlices(small, { metric: 'test_error' });
    assert.match(describeFit(simclr!, sliceBoundary(simclr!)), /theory -1\/2 = -0\.5/);
  });

  it('draws no CAO22 line under label noise', () => {
    const noisy = supervisedGrid().map((pt) => ({ ...pt, params: { ...pt.params, p: 0.1 } }) as GridPoint);
    const [slice] = gridSlices(noisy, { metric: 'test_error' });
    assert.equal(slice!.theory, null);
  });
});

describe('colour runs so that good is the same colour for every metric', () => {
  it('reverses the plotted scale where higher is better', () => {
    const scaleOf = (spec: unknown) =>
      figure(spec).vconcat[0]!.concat[0]!.layer[0]!.encoding.color!.scale as { reverse: boolean };
    assert.equal(scaleOf(phaseDiagramSpec(simclrGrid(), { text: 'e' })).reverse, false);
    assert.equal(scaleOf(phaseDiagramSpec(withAlignment(simclrGrid()), { text: 'a' }, ALIGN)).reverse, true);
  });

  it('paints the best terminal cells green for an error and for an alignment', () => {
    const GREEN = '\x1b[48;5;35m';
    const [errSlice] = gridSlices(simclrGrid(), { metric: 'test_error' });
    const errText = renderHeatmap(errSlice!, sliceBoundary(errSlice!), { color: true });
    const [alignSlice] = gridSlices(withAlignment(simclrGrid()), ALIGN);
    const alignText = renderHeatmap(alignSlice!, sliceBoundary(alignSlice!, 0.5), { color: true });
    // The lowest error (0) and the highest alignment (1) are the good cells.
    assert.ok(errText.includes(`${GREEN}\x1b[30m .00`), errText);
    assert.ok(alignText.includes(`${GREEN}\x1b[30m   1\x1b[0m`), alignText);
  });
});

describe('categorical axes', () => {
  const heads = (): GridPoint[] =>
    ['identity', 'linear', 'mlp'].flatMap((head, i) =>
      [0.05, 0.1, 0.2, 0.4].map((snr) =>
        point('simclr', 4, 100, snr, snr >= 0.1 * (i + 1) ? 0 : 0.5, { projection_head: head }),
      ),
    );
  const choice = { metric: 'test_error', threshold: 0.25, x: 'snr', y: 'projection_head' } as const;

  it('fit no log-log slope against a categorical axis', () => {
    const [slice] = gridSlices(heads(), choice);
    assert.equal(describeFit(slice!, sliceBoundary(slice!)), '');
    assert.doesNotMatch(renderSweepHeatmaps(heads(), { color: false }, choice), /log-log slope/);
  });

  it('mark crossings of categorical rows as points, not joined by a line', () => {
    const [panel] = figure(phaseDiagramSpec(heads(), { text: 'heads' }, choice)).vconcat[0]!.concat;
    const find = (d: string) => panel!.layer.find((l) => l.description === d);
    assert.equal(find('boundary'), undefined, 'no curve');
    assert.equal(find('boundary rows')!.mark.type, 'point');
    const numeric = figure(phaseDiagramSpec(supervisedGrid(), { text: 'n' })).vconcat[0]!.concat[0]!;
    assert.equal(numeric.layer.find((l) => l.description === 'boundary')!.mark.type, 'line');
  });
});

describe('titles, legends and ticks', () => {
  it('lays out a facet over two axes as a grid, the last facet across', () => {
    const points = [0, 0.1, 0.2].flatMap((keep) =>
      ['dot', 'cosine'].flatMap((similarity) =>
        [0.05, 0.1, 0.2, 0.4].flatMap((snr) =>
          [25, 100].map((n0) =>
            point('simclr', 4, n0, snr, snr > 0.1 ? 0 : 0.5, { augment_keep: keep, similarity }),
          ),
        ),
      ),
    );
    const fig = figure(
      phaseDiagramSpec(
        points,
        { text: 'grid' },
        { metric: 'test_error', threshold: 0.25, facet: ['augment_keep', 'similarity'] },
      ),
    );
    const [block] = fig.vconcat;
    assert.equal(block!.concat.length, 6);
    assert.equal(block!.columns, 2);
    const titles = block!.concat.map((p) => p.title.text.join(' '));
    assert.match(titles[0]!, /augment_keep=0 similarity=cosine/);
    assert.match(titles[1]!, /augment_keep=0 similarity=dot/);
    assert.match(titles[2]!, /augment_keep=0.1 similarity=cosine/);
  });

  it('cuts no legend title, panel title or tick label', async () => {
    const points = withAlignment(simclrGrid()).map((pt) => ({
      ...pt,
      params: { ...pt.params, augment_mask: 0.25, projection_head: 'linear' as const, head_dim: 7 },
    }));
    const svg = await renderSvg(
      phaseDiagramSpec(points, { text: 'long' }, { ...ALIGN, facet: ['augment_mask', 'head_dim'] }),
    );
    assert.ok(!svg.includes('…'), 'a text was cut with an ellipsis');
    assert.match(svg, /pretrain_alignment/);
    // The ZC24 panels' long theory label and their note on where the slope compares.
    const zc24 = await renderSvg(phaseDiagramSpec(simclrGrid(), { text: 'simclr' }));
    assert.match(zc24, /sufficient for d ≫/);
    assert.ok(!zc24.includes('…'), 'a subtitle was cut with an ellipsis');
  });

  it('never labels two ticks closer than a label', () => {
    const axis = { name: 'snr' as const, scale: 'log' as const, values: [0.1, 0.2, 0.4, 0.8, 0.9, 0.95, 1] };
    const ticks = (axisEncoding(axis, 'x').axis as { values: number[] }).values;
    assert.equal(ticks[0], 0.1);
    assert.equal(ticks.at(-1), 1);
    assert.ok(!ticks.includes(0.95), `ticks ${ticks.join(' ')}`);
    const y = (axisEncoding(axis, 'y').axis as { values: number[] }).values;
    assert.ok(!(y.includes(0.95) && y.includes(1)));
  });
});
