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
  it('marks the refined points and draws the stored crossings with their 95% intervals as a band', () => {
    const all = layers(phaseDiagramSpec(refinedSweep(), { text: 'refined' }, undefined, RECORDS));
    const refinedPoints = layer(all, 'refined points')!.data.values;
    assert.deepEqual(
      refinedPoints.map((p) => [p.y, p.x, p.round]),
      REFINED.map(([n, snr, , round]) => [n, snr, round]),
    );
    const crossings = layer(all, 'boundary')!.data.values;
    assert.deepEqual(
      crossings.map((c) => [c.at, c.crossing]),
      RECORDS.map((r) => [r.group_values.n_labels, r.crossing]),
    );
    const band = layer(all, 'boundary band')!;
    assert.equal(band.mark.type, 'area');
    assert.deepEqual(
      band.data.values.map((b) => [b.at, b.lo, b.hi]),
      RECORDS.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    assert.equal(layer(all, 'intervals'), undefined, 'two rows make a band, not error bars');
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

  it('renders to SVG with the band compiled', async () => {
    const svg = await renderSvg(phaseDiagramSpec(refinedSweep(), { text: 'refined' }, undefined, RECORDS));
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /band: 95% CI over seeds/);
  });

  it('marks refined points at every threshold, intervals only where refine: stored them', () => {
    const plain = layers(phaseDiagramSpec(refinedSweep(), { text: 'plain' }));
    assert.equal(layer(plain, 'refined points')!.data.values.length, REFINED.length);
    assert.equal(layer(plain, 'intervals'), undefined);
    assert.equal(layer(plain, 'boundary band'), undefined);
    const other = layers(
      phaseDiagramSpec(refinedSweep(), { text: 'other' }, { metric: 'test_error', threshold: 0.3 }, RECORDS),
    );
    assert.equal(layer(other, 'refined points')!.data.values.length, REFINED.length);
    assert.equal(layer(other, 'intervals'), undefined);
    assert.equal(layer(other, 'boundary band'), undefined);
    const estimated = layer(other, 'boundary rows')!.data.values.map((c) => c.crossing);
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

  it('draws SNR up the y axis with the same cells, refined points and band', () => {
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
      layer(all, 'boundary band')!.data.values.map((b) => [b.at, b.lo, b.hi]),
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

// A row refine.trace added between n = 16 and 64, with the SNRs its rounds gave it.
const TRACED_ROW: [snr: number, err: number, round: number][] = [
  [0.385, 0.33, 3],
  [0.408, 0.28, 3],
  [0.436, 0.2, 4],
];
function tracedSweep(): GridPoint[] {
  const added = TRACED_ROW.map(([snr, err, round]) => ({
    ...point('supervised', 32, null, snr, err),
    round,
  }));
  return [...refinedSweep(), ...added];
}
const TRACED = { ...record(32, 0.415, [0.408, 0.436], [0.37, 0.47]), traced: true };
// In the order of the rows, as the curve runs.
const TRACED_RECORDS = [RECORDS[0]!, TRACED, RECORDS[1]!];

type Channel = { field?: string; scale?: unknown; type?: string };
type CurveLayer = Omit<Layer, 'mark' | 'encoding'> & {
  mark: Layer['mark'] & { orient?: string };
  encoding: Record<string, Channel>;
};
const curveLayer = (all: Layer[], description: string): CurveLayer | undefined =>
  layer(all, description) as CurveLayer | undefined;

function subtitleOf(spec: unknown): string {
  const panel = (spec as { vconcat: { concat: { title: { subtitle: string[] } }[] }[] }).vconcat[0]!
    .concat[0]!;
  return panel.title.subtitle.join(' ');
}

describe('plot of a traced boundary', () => {
  it('draws the crossings as one curve along the rows with their 95% intervals as a band across it', () => {
    const spec = phaseDiagramSpec(tracedSweep(), { text: 'traced' }, undefined, TRACED_RECORDS);
    const all = layers(spec);
    const band = curveLayer(all, 'boundary band')!;
    // SNR across (x), rows up (y): the band spans x to x2 at each row.
    assert.equal(band.mark.type, 'area');
    assert.equal(band.mark.orient, 'horizontal');
    assert.deepEqual(
      [band.encoding.x!.field, band.encoding.x2!.field, band.encoding.y!.field],
      ['lo', 'hi', 'at'],
    );
    assert.deepEqual(band.encoding.x!.scale, all[0]!.encoding.x.scale, 'on the cells’ SNR scale');
    assert.deepEqual(
      band.data.values.map((b) => [b.at, b.lo, b.hi]),
      TRACED_RECORDS.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    assert.equal(new Set(band.data.values.map((b) => b.band)).size, 1, 'one unbroken band');
    const curve = curveLayer(all, 'boundary')!;
    assert.equal(curve.mark.type, 'line');
    assert.deepEqual(
      curve.data.values.map((c) => [c.at, c.crossing]),
      TRACED_RECORDS.map((r) => [r.group_values.n_labels, r.crossing]),
    );
    assert.equal(curve.encoding.order!.field, 'at');
    assert.match(subtitleOf(spec), /▒ band: 95% CI over seeds/);
    // The band over the refined points (most sit beside the crossings), the curve and its rows over it.
    const order = ['refined points', 'boundary band', 'boundary', 'boundary rows'].map((d) =>
      all.findIndex((l) => l.description === d),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  it('marks the rows refine.trace added hollow and the grid rows filled, and says so in the key', () => {
    const spec = phaseDiagramSpec(tracedSweep(), { text: 'traced' }, undefined, TRACED_RECORDS);
    const rows = curveLayer(layers(spec), 'boundary rows')!;
    assert.deepEqual(
      rows.data.values.map((r) => [r.at, r.row, r.fill]),
      [
        [16, 'grid', 'black'],
        [32, 'traced', 'white'],
        [64, 'grid', 'black'],
      ],
    );
    assert.deepEqual(rows.encoding.fill, { field: 'fill', type: 'nominal', scale: null, legend: null });
    assert.match(
      subtitleOf(spec),
      /● boundary \(test_error 0\.25\) at a grid row, ○ at a row refine\.trace added/,
    );
    const untraced = phaseDiagramSpec(refinedSweep(), { text: 'grid' }, undefined, RECORDS);
    assert.doesNotMatch(subtitleOf(untraced), /○/);
  });

  it('turns the band with the axes: SNR up the y axis spans y to y2 at each row', () => {
    const all = layers(
      phaseDiagramSpec(
        tracedSweep(),
        { text: 'swapped' },
        { metric: 'test_error', threshold: 0.25, x: 'n_labels', y: 'snr' },
        TRACED_RECORDS,
      ),
    );
    const band = curveLayer(all, 'boundary band')!;
    assert.equal(band.mark.orient, 'vertical');
    assert.deepEqual(
      [band.encoding.y!.field, band.encoding.y2!.field, band.encoding.x!.field],
      ['lo', 'hi', 'at'],
    );
    assert.deepEqual(band.encoding.y!.scale, all[0]!.encoding.y.scale);
    assert.deepEqual(
      band.data.values.map((b) => [b.at, b.lo, b.hi]),
      TRACED_RECORDS.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    const rows = curveLayer(all, 'boundary rows')!;
    assert.deepEqual([rows.encoding.x!.field, rows.encoding.y!.field], ['at', 'crossing']);
  });

  it('breaks the curve and the band at a non-monotone row, drawn as a × with its own error bar', () => {
    const wobbly = [RECORDS[0]!, { ...TRACED, kind: 'non_monotone' as const, crossings: 3 }, RECORDS[1]!];
    const spec = phaseDiagramSpec(tracedSweep(), { text: 'wobbly' }, undefined, wobbly);
    const all = layers(spec);
    assert.equal(layer(all, 'boundary band'), undefined, 'no two adjacent monotone rows');
    assert.equal(layer(all, 'boundary'), undefined);
    assert.deepEqual(
      layer(all, 'intervals')!.data.values.map((b) => [b.at, b.lo, b.hi]),
      wobbly.map((r) => [r.group_values.n_labels, r.ci95_low, r.ci95_high]),
    );
    assert.deepEqual(
      layer(all, 'boundary rows')!.data.values.map((r) => [r.at, r.shape]),
      [
        [16, 'circle'],
        [32, 'cross'],
        [64, 'circle'],
      ],
    );
    assert.match(subtitleOf(spec), /× non-monotone row, not in the slope/);
  });

  it('breaks the curve at a row without a crossing and keeps the band where rows adjoin', () => {
    // A fourth row above the others that never crosses: the curve stops at n = 64, as the text view's "-".
    const flat = [0.2, 0.3, 0.5, 0.8].map((snr) => point('supervised', 128, null, snr, 0.1));
    const none = { ...record(128, 0, [0.2, 0.8], [0.2, 0.8]), kind: 'all_below' as const };
    const stored = [
      ...TRACED_RECORDS,
      {
        ...none,
        crossing: null,
        bracket_low: null,
        bracket_high: null,
        ci95_low: null,
        ci95_high: null,
        crossings: 0,
      },
    ];
    const all = layers(phaseDiagramSpec([...tracedSweep(), ...flat], { text: 'flat' }, undefined, stored));
    assert.deepEqual(
      layer(all, 'boundary')!.data.values.map((c) => c.at),
      [16, 32, 64],
    );
    assert.ok(!layer(all, 'boundary rows')!.data.values.some((r) => r.at === 128));
  });

  it('renders a traced panel to SVG, the key in its subtitle', async () => {
    const svg = await renderSvg(
      phaseDiagramSpec(tracedSweep(), { text: 'traced' }, undefined, TRACED_RECORDS),
    );
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /○ at a row refine\.trace added/);
  });
});

describe('show of a traced boundary', () => {
  it('marks the traced row in the text heatmap and in show --json panels', () => {
    const text = renderSweepHeatmaps(tracedSweep(), { color: false }, undefined, TRACED_RECORDS);
    const marked = text.split('\n').filter((l) => l.endsWith(' traced'));
    assert.equal(marked.length, 1, text);
    assert.match(marked[0]!, /^ +32 /);
    assert.ok(marked[0]!.endsWith(`snr* ${fmtNumber(0.415)} (95% CI 0.37 to 0.47) traced`), marked[0]);
    type Panel = { boundary: { crossings: { at: number; traced: boolean }[] } };
    const [panel] = slicesJson(tracedSweep(), undefined, TRACED_RECORDS) as Panel[];
    assert.deepEqual(
      panel!.boundary.crossings.map((c) => [c.at, c.traced]),
      [
        [16, false],
        [32, true],
        [64, false],
      ],
    );
  });
});
