import path from 'node:path';
import { BadInputError } from '../exit.ts';

export type PlotFormat = 'svg' | 'png';

export function plotFormatOf(file: string): PlotFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext.slice(1) as PlotFormat;
  throw new BadInputError(`--out ${file}: the file name must end in .svg or .png`);
}
