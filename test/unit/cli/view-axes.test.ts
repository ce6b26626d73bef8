import type { GridPoint } from '../../../store/grid-points.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phaseDiagramSpec } from '../../../cli/plots/phase-diagram-spec.ts';
import { linearEdges } from '../../../cli/plots/plot-axes.ts';
import { renderSvg } from '../../../cli/plots/render.ts';
import { sliceBoundary } from '../../../cli/views/boundary-fit.ts';
import { slicesJson, renderSweepHeatmaps } from '../../../cli/views/heatmap.ts';
import { gridSlices } from '../../../cli/views/grid-slices.ts';
import { checkAxes, viewChoice } from '../../../cli/views/view-axes.ts';
import { chooseMetric } from '../../../cli/views/metric-choice.ts';
import { simclrGrid, supervisedAt63, supervisedGrid } from '../../helpers/paper-grid.ts';

const ERR = { metric: 'test_error' } as const;

describe('any two axes', () => {
  it('draws n against SNR either way round with the same theory, and a boundary found along x', () => {
    const [swapped] = gridSlices(supervisedGrid(), { ...ERR, x: 'n_labels', y: 'snr' });
    assert.deepEqual([swapped!.x.name, swapped!.y.name], ['n_labels', 'snr']);
    assert.equal(swapped!.theory?.slope, -1 / 3);
    const b = sliceBoundary(swapped!);
    assert.equal(b.along, 'x');
    // Along n at fixed SNR: at SNR 0.278 the error falls between n = 64 (0.48) and n = 256 (0.00).
    const at = b.lines.find((l) => l.at === 0.278)!.crossing!;
    assert.ok(at > 64 && at < 256, `n* at SNR 0.278: ${at}`);
    assert.ok(b.slope! < -0.15 && b.slope! > -0.6, `slope ${b.slope}`);
  });

  it('finds a rising metric crossing where the falling one does', () => {
    const grid = supervisedGrid().map((pt) => ({
      ...pt,
      metrics: {
        ...pt.metrics,
        signal_alignment: { ...pt.metrics.test_error, mean: 1 - pt.metrics.test_error.mean! },
      },
    }));
    const [errors] = gridSlices(grid, ERR);
    const [alignment] = gridSlices(grid, { metric: 'signal_alignment' });
    const e = sliceBoundary(errors!, 0.25).lines.map((l) => l.crossing);
    const a = sliceBoundary(alignment!, 0.75).lines.map((l) => l.crossing);
    assert.equal(e.length, 4);
    e.forEach((x, i) => assert.ok(Math.abs(x! - a[i]!) < 1e-9, `row ${i}: ${x} vs ${a[i]}`));
    assert.match(
      renderSweepHeatmaps(grid, { color: false }, { metric: 'signal_alignment', threshold: 0.75 }),
      /mean signal_alignment/,
    );
  });

  it('splits slices by every other varying parameter, named facets first, values in numeric order', () => {
    const grid = [1, 0.5].flatMap((lr) =>
      [16, 4].flatMap((steps) =>
        supervisedGrid().map((pt) => ({ ...pt, params: { ...pt.params, lr, steps } }) as GridPoint),
      ),
    );
    const titles = gridSlices(grid, ERR).map((p) => p.title);
    assert.deepEqual(
      titles.map((t) => /lr=\S+ steps=\S+/.exec(t)?.[0]),
      ['lr=0.5 steps=4', 'lr=0.5 steps=16', 'lr=1 steps=4', 'lr=1 steps=16'],
    );
    const byStepsFirst = gridSlices(grid, { ...ERR, facet: ['steps'] }).map(
      (p) => /steps=\S+ lr=\S+/.exec(p.title)?.[0],
    );
    assert.deepEqual(byStepsFirst, ['steps=4 lr=0.5', 'steps=4 lr=1', 'steps=16 lr=0.5', 'steps=16 lr=1']);
  });

  it('draws a categorical axis by name and scans the numeric one for the boundary', async () => {
    const points = [...supervisedAt63(), ...simclrGrid()];
    const slices = gridSlices(points, { ...ERR, x: 'method', y: 'snr' });
    const slice = slices.find((p) => /n_labels=4 n_unlabeled=400/.test(p.title))!;
    assert.deepEqual(slice.x, { name: 'method', values: ['simclr', 'supervised'], scale: 'category' });
    assert.equal(slice.theory, null);
    const b = sliceBoundary(slice);
    assert.equal(b.along, 'y');
    const crossing = new Map(b.lines.map((l) => [l.at, l.crossing]));
    assert.ok(crossing.get('simclr')! > 0.05 && crossing.get('simclr')! < 0.1);
    assert.equal(crossing.get('supervised'), null);
    const json = slicesJson(points, { ...ERR, x: 'method', y: 'snr', threshold: 0.25 }) as {
      boundary: { theory_slope: number | null };
    }[];
    assert.ok(json.every((p) => p.boundary.theory_slope === null));
    const svg = await renderSvg(
      phaseDiagramSpec(points, { text: 'by method' }, { ...ERR, x: 'method', y: 'snr', threshold: 0.25 }),
    );
    assert.match(svg, />simclr<\/text>/);
    assert.match(svg, />supervised<\/text>/);
  });

  it('places cells of an irregular linear axis between arithmetic midpoints', () => {
    assert.deepEqual(
      linearEdges([0, 0.2, 1]).map((e) => [Number(e.lo.toFixed(12)), Number(e.hi.toFixed(12))]),
      [
        [-0.1, 0.1],
        [0.1, 0.6],
        [0.6, 1.4],
      ],
    );
  });
});

describe('axis and metric names from the command line', () => {
  it('accepts every trainer parameter and metric, comma-separated facets', () => {
    assert.deepEqual(
      viewChoice({ x: 'snr', y: 'lr', facet: ['tau,steps', 'd'], metric: 'noise_memorization' }),
      {
        x: 'snr',
        y: 'lr',
        facet: ['tau', 'steps', 'd'],
        metric: 'noise_memorization',
      },
    );
  });
  it('refuses an unknown axis or metric, or the same axis twice, as bad input naming the option', () => {
    const bad = (run: () => unknown, message: RegExp) =>
      assert.throws(run, (err: Error & { badInput?: boolean }) => {
        assert.equal(err.badInput, true);
        assert.match(err.message, message);
        return true;
      });
    const points = supervisedGrid();
    bad(() => checkAxes(points, viewChoice({ x: 'seed' })), /--x seed: unknown axis; expected one of .*snr/);
    bad(() => checkAxes(points, viewChoice({ facet: ['snr,nope'] })), /--facet nope: unknown axis/);
    bad(
      () => chooseMetric(points, {}, 'accuracy', 's1'),
      /^--metric accuracy: no result of sweep s1 carries it; available: test_error, best_test_error/,
    );
    bad(() => viewChoice({ x: 'snr', y: 'snr' }), /--x and --y are both 'snr'/);
  });
});
