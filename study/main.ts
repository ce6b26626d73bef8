import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderSvg, svgToPng } from '../cli/plots/render.ts';
import { GRIDS, REGIMES, type Mode } from './design.ts';
import { measureEffects } from './effects.ts';
import { evaluate } from './evaluate.ts';
import { gridFigureSpec } from './figures.ts';
import { replaceSection } from './readme-section.ts';
import { storedRows, runSpec } from './run-sweeps.ts';
import { studySection } from './section.ts';
import { specYaml, studySpec, sweepName } from './specs.ts';
import { CLAIMS, RECHECKS } from './statements.ts';
import { cellLookup, summarizeGrid, type CellLookup, type VariantResult } from './summarize.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE =
  'usage: npm run study:simclr -- [--quick] [--readme FILE] [--figures DIR] [--specs DIR] (defaults: README.md, docs/, study/specs/MODE/)';

class UsageError extends Error {}

function options(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        readme: { type: 'string', default: path.join(ROOT, 'README.md') },
        figures: { type: 'string', default: path.join(ROOT, 'docs') },
        specs: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const mode: Mode = values.quick ? 'quick' : 'full';
    const specs = values.specs ?? path.join(ROOT, 'study', 'specs', mode);
    return { mode, readme: values.readme, figures: values.figures, specs };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs every grid in both regimes, then writes the README section and its figures from the stored results. */
export async function study(argv: string[]): Promise<void> {
  const { mode, readme, figures, specs: specDir } = options(argv);
  const readmeText = await readFile(readme, 'utf8');
  replaceSection(readmeText, ''); // a README without the markers is refused before anything runs
  const started = Date.now();
  await mkdir(specDir, { recursive: true });
  const results: VariantResult[] = [];
  const lookups = new Map<string, CellLookup>();
  for (const grid of GRIDS) {
    for (const regime of REGIMES) {
      const specFile = path.join(specDir, `${sweepName(grid, regime, mode)}.yaml`);
      await writeFile(specFile, specYaml(studySpec(grid, regime, mode)));
      const t0 = Date.now();
      const sweepId = await runSpec(specFile);
      const rows = await storedRows(sweepId);
      results.push(...summarizeGrid(grid, regime, mode, rows));
      lookups.set(`${grid.name}/${regime}`, cellLookup(grid, regime, mode, rows));
      log(`${sweepName(grid, regime, mode)}: sweep ${sweepId}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  await mkdir(figures, { recursive: true });
  const figurePaths: Record<string, string> = {};
  for (const grid of GRIDS) {
    const file = path.join(figures, `study-${grid.name}${mode === 'quick' ? '-quick' : ''}.png`);
    await writeFile(file, svgToPng(await renderSvg(gridFigureSpec(grid, results))));
    figurePaths[grid.name] = path.relative(path.dirname(readme), file).split(path.sep).join('/');
  }
  const body = studySection({
    mode,
    results,
    claims: CLAIMS.map((c) => evaluate(c, results)),
    rechecks: RECHECKS.map((c) => evaluate(c, results)),
    effects: measureEffects(mode, (grid, regime) => lookups.get(`${grid}/${regime}`)),
    figures: figurePaths,
  });
  await writeFile(readme, replaceSection(await readFile(readme, 'utf8'), body));
  log(`study (${mode}) done in ${((Date.now() - started) / 1000).toFixed(0)} s wall; ${readme} written`);
}

try {
  await study(process.argv.slice(2));
} catch (err) {
  log((err as Error).message);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
