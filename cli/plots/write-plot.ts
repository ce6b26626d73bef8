import type { BoundaryRecord } from '../../store/boundaries.ts';
import { metricOf, type GridPoint } from '../../store/grid-points.ts';
import { methodOf } from '../../trainer/index.ts';
import type { DrawOptions } from '../views/heatmap.ts';
import { phaseDiagramSpec, type FigureTitle } from './phase-diagram-spec.ts';
import { plotFormatOf } from './plot-format.ts';
import { renderSvg, svgToPng } from './render.ts';
import { writeOutputFile } from '../write-output.ts';

/**
 * Renders the phase diagram and writes it to each file, in the format its extension names; a file's
 * folder is created when missing.
 */
export async function writePhaseDiagram(
  points: GridPoint[],
  title: FigureTitle,
  files: string[],
  opts: { scale?: number; draw?: DrawOptions; refined?: BoundaryRecord[] } = {},
): Promise<void> {
  const formats = files.map(plotFormatOf);
  const metric = opts.draw?.metric ?? 'test_error';
  const trains = (p: GridPoint): boolean => p.params === null || methodOf(p.params.method).trains;
  if (!points.some((p) => trains(p) && metricOf(p, metric).mean !== null)) {
    throw new Error(`nothing to plot: the sweep has no trained results with a ${metric} yet`);
  }
  const svg = await renderSvg(phaseDiagramSpec(points, title, opts.draw, opts.refined));
  const scale = opts.scale ?? 2;
  await Promise.all(
    files.map((file, i) => writeOutputFile(file, formats[i] === 'svg' ? svg : svgToPng(svg, scale))),
  );
}
