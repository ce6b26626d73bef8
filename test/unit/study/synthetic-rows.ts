import { expandCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import type { CellParams } from '../../../trainer/index.ts';
import { GRIDS, REGIMES, type Mode, type Regime, type StudyGrid } from '../../../study/design.ts';
import type { StoredRow } from '../../../study/run-sweeps.ts';
import { specYaml, studySpec } from '../../../study/specs.ts';
import {
  STUDY_METRICS,
  summarizeGrid,
  type StudyMetric,
  type VariantResult,
} from '../../../study/summarize.ts';

export type MetricsOf = (
  params: CellParams,
  regime: Regime,
) => Partial<Record<StudyMetric | 'best_test_error', number | null> & { diverged: boolean }>;

// The rows `phasesweep results` would print for a grid's sweep: the cells of its generated spec, as the
// project expands them, each with the metrics `metricsOf` gives it.
export function syntheticRows(
  grid: StudyGrid,
  regime: Regime,
  mode: Mode,
  metricsOf: MetricsOf,
): StoredRow[] {
  const spec = parseSpecText(specYaml(studySpec(grid, regime, mode)), `${grid.name}.yaml`);
  return expandCells(spec).map((cell) => {
    const metrics = metricsOf(cell.params, regime);
    return {
      cell_key: cell.key,
      status: 'done',
      ...cell.params,
      ...Object.fromEntries([...STUDY_METRICS, 'best_test_error'].map((m) => [m, 0.5])),
      ...metrics,
    };
  });
}

export function syntheticStudy(mode: Mode, metricsOf: MetricsOf): VariantResult[] {
  return GRIDS.flatMap((grid) =>
    REGIMES.flatMap((regime) =>
      summarizeGrid(grid, regime, mode, syntheticRows(grid, regime, mode, metricsOf)),
    ),
  );
}
