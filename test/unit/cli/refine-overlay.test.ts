import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { renderSvg } from '../../../cli/plots/render.ts';
import { fmtNumber } from '../../../cli/views/format.ts';
import { slicesJson, renderSweepHeatmaps } from '../../../cli/views/heatmap.ts';
import type { BoundaryRecord } from '../../../store/boundaries.ts';
import type { BuiltInPoint as GridPoint } from '../../../store/grid-points.ts';
import { point, supervisedGrid } from '../../helpers/paper-grid.ts';

// Rows n = 16 and 64 of the 6.1 grid, with the SNRs two refine rounds would add inside each bracket.
const REFINED: [n: number, snr: number, err: number, round: number][] = [
  [16, 0.408, 0.31, 1],
  [16, 0.436, 0.21, 2],
  [64, 0.408, 0.3, 1],
  [64, 0.385, 0.27, 2],
];

function refinedSweep(): GridPoint[] {
  const grid = supervisedGrid().filter((pt) => pt.params.n_labels === 16 || pt.params.n_labels === 64);
  const added = REFINED.map(([n, snr, err, round]) => ({ ...point('supervised', n, null, snr, err), round }));
  return [...grid, ...added];
}

// The stored boundaries, with crossings deliberately not the panel's own interpolation: the views
// must draw these, not estimate their own.
function record(
  n: number,
  crossing: number,
  bracket: [number, number],
  ci95: [number, number],
  threshold = 0.25,
): BoundaryRecord {
  return {
    sweep_id: 's',
    group_key: `n${n}`,
    source: 'refine',
    group_values: { method: 'supervised', n_labels: n },
    axis: 'snr',
    metric: 'test_error',
    threshold,
    kind: 'crossing',
    crossing,
    bracket_low: bracket[0],
    bracket_high: bracket[1],
    ci95_low: ci95[0],
    ci95_high: ci95[1],
    seeds: 2,
    resamples: 2000,
    no_crossing: 0,
    crossings: 1,
    open_brackets: 0,
    brackets: [],
    range_low: 0.1,
    range_high: 1,
    rounds: 2,
    cells: 24,
    traced: false,
    updated_at: new Date(0),
  };
}
// Intervals wider than the brackets, as two seeds give: the error bars are the intervals.
const RECORDS = [
  record(16, 0.421, [0.408, 0.436], [0.35, 0.52]),
  record(64, 0.397, [0.385, 0.408], [0.33, 0.44]),
];

type Encoding = { axis: { values: number[] }; scale: { domain: [number, number] } };
type Layer = {
  description?: string;
  data: { values: Record<string, number>[] };
  mark: { type: string; color?: string; strokeWidth?: number };
  encoding: { x: Encoding; y: Encoding };
};
type Spec = { vconcat: { concat: { layer: Layer[] }[] }[] };

function layers(spec: unknown): Layer[] {
  const panels = (spec as Spec).vconcat[0]!.concat;
  assert.equal(panels.length, 1);
  return panels[0]!.layer;
}
const layer = (all: Layer[], description: string): Layer | undefined =>
  all.find((l) => l.description === description);

describe('plot overlay of a refined sweep', () => {
  it('marks the refined points and draws the stored crossings with their 95% intervals as error bars', () => {
    const all = layers(phaseDiagramSpec(refinedSweep(), { text: 'refined' }, undefined, RECORDS));
    const refinedPoints = layer(all, 'refined points')!.data.values;
    assert.deepEqual(
      refinedPoints.map((p) => [p.y, p.x, p.round]),
      REFINED.map(([n, snr, , round]) => [n, snr, round]),
    );
    const crossings = layer(all, 'boundary')!.data.values;
    assert.deepEqual(
      crossings.map((c) => [c.y, c.x]).sort((a, b) => a[0]! - b[0]!),
      RECORDS.map((r) => [r.group_values.n_labels, r.crossing]),
    );
    const bars = layer(all, 'intervals')!;
    assert.equal(bars.mark.type, 'errorbar');
    assert.deepEqual(
      bars.data.values.map((b) => [b.at, b.lo, b.hi]).sort((a, b) => a[0]! - b[0]!),
      RECORDS.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    // SNR ticks stay on the spec's grid; the refined values are drawn, not labelled.
    const ticks = all[0]!.encoding.x.axis.values;
    assert.equal(ticks.length, 10);
    assert.ok(!ticks.includes(0.408));
  });

  it('has the same crossings and intervals as the terminal heatmap and show --json panels', () => {
    const text = renderSweepHeatmaps(refinedSweep(), { color: false }, undefined, RECORDS);
    for (const r of RECORDS) {
      const ci = `(95% CI ${fmtNumber(r.ci95_low)} to ${fmtNumber(r.ci95_high)})`;
      assert.ok(text.includes(`snr* ${fmtNumber(r.crossing)} ${ci}`), text);
    }
    assert.match(text, /located by refine:/);
    type Crossing = { at: number; crossing: number; ci95: [number, number]; grid_bracket: [number, number] };
    const [panel] = slicesJson(refinedSweep(), undefined, RECORDS) as {
      boundary: { crossings: Crossing[] };
    }[];
    assert.deepEqual(
      panel!.boundary.crossings.map((c) => [c.at, c.crossing, c.ci95, c.grid_bracket]),
      RECORDS.map((r) => [
        r.group_values.n_labels,
        r.crossing,
        [r.ci95_low, r.ci95_high],
        [r.bracket_low, r.bracket_high],
      ]),
    );
  });

  it('leaves a non-monotone stored group out of the panel slope, as the stored fit does, but draws it', () => {
    type Panel = { boundary: { slope: number | null; crossings: { crossing: number | null }[] } };
    const [both] = slicesJson(refinedSweep(), undefined, RECORDS) as Panel[];
    assert.ok(both!.boundary.slope !== null);
    const wobbly = [RECORDS[0]!, { ...RECORDS[1]!, kind: 'non_monotone' as const, crossings: 3 }];
    const [one] = slicesJson(refinedSweep(), undefined, wobbly) as Panel[];
    assert.equal(one!.boundary.slope, null, 'one monotone size left: no slope');
    assert.deepEqual(
      one!.boundary.crossings.map((c) => c.crossing).filter((c) => c !== null),
      RECORDS.map((r) => r.crossing),
    );
  });

  it('renders to SVG with the error bars compiled', async () => {
    const svg = await renderSvg(phaseDiagramSpec(refinedSweep(), { text: 'refined' }, undefined, RECORDS));
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /95% CI over seeds \(refine:\)/);
  });

  it('marks refined points at every threshold, intervals only where refine: stored them', () => {
    const plain = layers(phaseDiagramSpec(refinedSweep(), { text: 'plain' }));
    assert.equal(layer(plain, 'refined points')!.data.values.length, REFINED.length);
    assert.equal(layer(plain, 'intervals'), undefined);
    const other = layers(
      phaseDiagramSpec(refinedSweep(), { text: 'other' }, { metric: 'test_error', threshold: 0.3 }, RECORDS),
    );
    assert.equal(layer(other, 'refined points')!.data.values.length, REFINED.length);
    assert.equal(layer(other, 'intervals'), undefined);
    const estimated = layer(other, 'boundary')!.data.values.map((c) => c.x);
    assert.ok(!estimated.includes(0.421) && !estimated.includes(0.397));
  });

  // Each row (or column) of the heatmap is tiled by its cells from one edge of the panel to the other.
  function assertTiled(all: Layer[], along: 'x' | 'y', acrossField: string): void {
    const cells = all[0]!.data.values;
    const [lo, hi] = all[0]!.encoding[along].scale.domain;
    for (const at of new Set(cells.map((c) => c[acrossField]))) {
      const line = cells
        .filter((c) => c[acrossField] === at)
        .sort((a, b) => a[`${along}_lo`]! - b[`${along}_lo`]!);
      assert.ok(Math.abs(line[0]![`${along}_lo`]! - lo) < 1e-12, `${acrossField}=${at} starts at the edge`);
      assert.ok(Math.abs(line.at(-1)![`${along}_hi`]! - hi) < 1e-12, `${acrossField}=${at} ends at the edge`);
      for (let i = 1; i < line.length; i++) {
        assert.ok(
          Math.abs(line[i]![`${along}_lo`]! - line[i - 1]![`${along}_hi`]!) < 1e-12,
          `gap in ${acrossField}=${at}`,
        );
      }
    }
  }

  it('leaves no holes and labels only grid values at a threshold refine: did not use', () => {
    for (const threshold of [0.1, 0.25, 0.4]) {
      const all = layers(
        phaseDiagramSpec(refinedSweep(), { text: 't' }, { metric: 'test_error', threshold }, RECORDS),
      );
      assertTiled(all, 'x', 'n_labels');
      assert.ok(!all[0]!.encoding.x.axis.values.some((v) => REFINED.some(([, snr]) => snr === v)));
    }
  });

  it('draws SNR up the y axis with the same cells, refined points and intervals', () => {
    const all = layers(
      phaseDiagramSpec(
        refinedSweep(),
        { text: 'swapped' },
        { metric: 'test_error', threshold: 0.25, x: 'n_labels', y: 'snr' },
        RECORDS,
      ),
    );
    assertTiled(all, 'y', 'n_labels');
    assert.deepEqual(
      layer(all, 'refined points')!.data.values.map((p) => [p.x, p.y]),
      REFINED.map(([n, snr]) => [n, snr]),
    );
    assert.deepEqual(
      layer(all, 'intervals')!
        .data.values.map((b) => [b.at, b.lo, b.hi])
        .sort((a, b) => a[0]! - b[0]!),
      RECORDS.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    assert.ok(!all[0]!.encoding.y.axis.values.includes(0.408));
  });

  it('outlines the hollow white diamonds in a dark colour, under them', () => {
    const all = layers(phaseDiagramSpec(refinedSweep(), { text: 'refined' }, undefined, RECORDS));
    const outline = all.findIndex((l) => l.description === 'refined points outline');
    const diamonds = all.findIndex((l) => l.description === 'refined points');
    assert.ok(outline >= 0 && outline < diamonds);
    assert.equal(all[diamonds]!.mark.color, 'white');
    assert.match(all[outline]!.mark.color!, /^#[0-3][0-9a-f]{5}$/);
    assert.ok(all[outline]!.mark.strokeWidth! > all[diamonds]!.mark.strokeWidth!);
  });

  it('labels the values of a panel that holds refined points only', () => {
    // With SNR split into panels, each refined SNR is a panel of its own, with no grid point.
    const spec = phaseDiagramSpec(
      refinedSweep().map((pt) => ({
        ...pt,
        params: { ...pt.params, d: pt.params.n_labels === 16 ? 100 : 200 },
      })),
      { text: 'split' },
      { metric: 'test_error', threshold: 0.25, x: 'n_labels', y: 'd' },
      RECORDS,
    ) as unknown as Spec;
    const panels = spec.vconcat[0]!.concat;
    assert.ok(panels.length > 10);
    for (const panel of panels) assert.ok(panel.layer[0]!.encoding.x.axis.values.length > 0);
  });
});
