import { theoryLine, type TheoryFit } from '../../sweep/theory-lines.ts';

// A sweep's grid statistics cut into two-dimensional panels (rows: a sample size, columns: SNR), the
// shape shared by the terminal heatmap and the plotted phase diagram.

/** The fields of one grid point the views need; store/aggregates.ts's GridPointStats satisfies it. */
export interface GridPoint {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  d: number;
  q: number;
  p: number;
  seeds: number;
  diverged: number;
  mean_test_error: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

export type RowAxis = 'n_labels' | 'n_unlabeled';

export interface Panel {
  /** Stable identifier, e.g. "simclr  n_labels=4  d=200 q=3 p=0". */
  id: string;
  title: string;
  method: string;
  rowAxis: RowAxis;
  /** The theory's boundary n · SNR^exponent = c for this panel's row axis, where a paper gives one. */
  theory: TheoryFit | null;
  rows: number[];
  snrs: number[];
  points: GridPoint[];
  at(row: number, snr: number): GridPoint | undefined;
}

export const ROW_LABEL: Record<RowAxis, string> = { n_labels: 'n (labels)', n_unlabeled: 'n0 (unlabeled)' };

export function rowValue(point: GridPoint, axis: RowAxis): number {
  return axis === 'n_labels' ? point.n_labels : (point.n_unlabeled ?? 0);
}

const sortedUnique = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

// SimCLR's boundary is in the unlabeled sample size (paper-spec 4.3); supervised training's in the
// label count.
function axisFor(method: string): { rowAxis: RowAxis; perLabels: boolean } {
  return method === 'simclr'
    ? { rowAxis: 'n_unlabeled', perLabels: true }
    : { rowAxis: 'n_labels', perLabels: false };
}

function describeFixed(group: GridPoint[], keys: ('d' | 'q' | 'p')[]): string {
  return keys.map((k) => `${k}=${group[0]![k]}`).join(' ');
}

/** Panels in a stable order: per method (supervised first), per (d, q, p), and for SimCLR per label count. */
export function panelsOf(points: GridPoint[]): Panel[] {
  const groups = new Map<string, GridPoint[]>();
  for (const pt of points) {
    const { perLabels } = axisFor(pt.method);
    const key = [pt.method, pt.d, pt.q, pt.p, perLabels ? pt.n_labels : ''].join('|');
    const list = groups.get(key) ?? [];
    list.push(pt);
    groups.set(key, list);
  }
  const methodOrder = (m: string): number => ['supervised', 'simclr', 'noop'].indexOf(m);
  const panels = [...groups.values()].map((group) => {
    const first = group[0]!;
    const { rowAxis, perLabels } = axisFor(first.method);
    const byCell = new Map(group.map((pt) => [`${rowValue(pt, rowAxis)}|${pt.snr}`, pt]));
    const title = [
      first.method,
      perLabels ? `n_labels=${first.n_labels}` : '',
      describeFixed(group, ['d', 'q', 'p']),
    ]
      .filter(Boolean)
      .join('  ');
    return {
      id: title,
      title,
      method: first.method,
      rowAxis,
      theory: theoryLine(first.method, rowAxis, first.q),
      rows: sortedUnique(group.map((pt) => rowValue(pt, rowAxis))),
      snrs: sortedUnique(group.map((pt) => pt.snr)),
      points: group,
      at: (row: number, snr: number) => byCell.get(`${row}|${snr}`),
      sortKey: [methodOrder(first.method), first.d, first.q, first.p, first.n_labels] as number[],
    };
  });
  panels.sort((a, b) => {
    for (let i = 0; i < a.sortKey.length; i++)
      if (a.sortKey[i] !== b.sortKey[i]) return a.sortKey[i]! - b.sortKey[i]!;
    return 0;
  });
  return panels.map(({ sortKey: _sortKey, ...panel }) => panel);
}
