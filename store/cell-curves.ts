import type pg from 'pg';
import { CELL_CURVE_SQL } from './queries.ts';

// The curve columns a built-in method's training writes (trainer/types.ts' CurvePoint); a program's
// progress events keep theirs by name in curves.metrics (019).
const CURVE_COLUMNS = ['train_loss', 'test_error'] as const;

export interface CellCurvePoint {
  step: number;
  /** every metric of the point by name; null where the point has none of that name */
  values: Record<string, number | null>;
}

export interface CellCurve {
  /** the metrics the curve carries: the built-in columns first, then a program's in order of appearance */
  metrics: string[];
  points: CellCurvePoint[];
}

type CurveRowRead = Record<(typeof CURVE_COLUMNS)[number], number | null> & {
  step: number;
  metrics: Record<string, unknown> | null;
};

/** A cell's stored training curve, built-in or a program's, with every metric by name. */
export async function cellCurve(pool: pg.Pool, cellKey: string): Promise<CellCurve> {
  const { rows } = await pool.query<CurveRowRead>(CELL_CURVE_SQL, [cellKey]);
  const named = new Set<string>();
  const points = rows.map((row): CellCurvePoint => {
    const values: Record<string, number | null> = {};
    for (const column of CURVE_COLUMNS) if (row[column] !== null) values[column] = row[column];
    for (const [name, value] of Object.entries(row.metrics ?? {})) {
      named.add(name);
      values[name] = typeof value === 'number' ? value : null;
    }
    return { step: row.step, values };
  });
  const builtIn = CURVE_COLUMNS.filter((c) => rows.some((r) => r[c] !== null));
  const metrics = [...builtIn, ...[...named].filter((n) => !(builtIn as string[]).includes(n))];
  return {
    metrics,
    points: points.map((p) => ({
      step: p.step,
      values: Object.fromEntries(metrics.map((m) => [m, p.values[m] ?? null])),
    })),
  };
}
