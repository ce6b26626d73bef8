import { writeFile } from 'node:fs/promises';
import type { GridPoint } from '../views/panels.ts';
import { phaseDiagramSpec, type FigureTitle } from './phase-diagram-spec.ts';
import { plotFormatOf } from './plot-format.ts';
import { renderSvg, svgToPng } from './render.ts';

/** Renders the phase diagram and writes it to each file, in the format its extension names. */
export async function writePhaseDiagram(
  points: GridPoint[],
  title: FigureTitle,
  files: string[],
  scale = 2,
): Promise<void> {
  const formats = files.map(plotFormatOf);
  if (!points.some((p) => p.method !== 'noop' && p.mean_test_error !== null)) {
    throw new Error('nothing to plot: the sweep has no trained results with a test error yet');
  }
  const svg = await renderSvg(phaseDiagramSpec(points, title));
  await Promise.all(
    files.map((file, i) => writeFile(file, formats[i] === 'svg' ? svg : svgToPng(svg, scale))),
  );
}
