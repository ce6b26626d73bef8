import { METHOD, METRIC_PROPERTIES, type Method, type ResultMetric } from '../trainer/index.ts';

// The phase boundaries the papers predict, as lines size · SNR^exponent = c (a straight line of slope
// -1/exponent in log SNR against log size). Each line holds only for the method, activation exponent q
// and label-flip rate p that paper-spec states it for, and only for the error metrics the theorems are
// about (trainer/result-metrics.ts). The terminal and plotted views evaluate the list in TypeScript, the
// dashboards compile it to SQL.

export const SIZE_AXES = ['n_labels', 'n_unlabeled'] as const;
export type SizeAxis = (typeof SIZE_AXES)[number];

interface Condition {
  op: '=' | '>' | '>=';
  value: number;
}

export interface TheoryLine {
  method: Method;
  size: SizeAxis;
  /** where the theorem holds, in the activation exponent q */
  q: Condition;
  /** where the theorem holds, in the label-flip rate p */
  p: Condition;
  /** a number, or 'q' for the activation exponent itself */
  exponent: number | 'q';
  source: string;
  /**
   * A sufficient condition proved for d ≫ size: at a finite d the boundary need not follow it, so a
   * fitted slope is compared with it only where every size is well below d.
   */
  sufficient: boolean;
}

export const THEORY_LINES: readonly TheoryLine[] = [
  // paper-spec 4.2 (ReLU, label-flip rate p): n·||mu||^4 >= C·sigma_p^4·d, i.e. n·d·SNR^4 = c at fixed d.
  {
    method: METHOD.supervised,
    size: 'n_labels',
    q: { op: '=', value: 1 },
    p: { op: '>=', value: 0 },
    exponent: 4,
    source: 'KOU23',
    sufficient: false,
  },
  // paper-spec 4.1 (ReLU^q, q > 2, clean labels as in 1.1): n·SNR^q = c.
  {
    method: METHOD.supervised,
    size: 'n_labels',
    q: { op: '>', value: 2 },
    p: { op: '=', value: 0 },
    exponent: 'q',
    source: 'CAO22',
    sufficient: false,
  },
  // paper-spec 4.3 (fine-tuning a ReLU^q CNN, q > 2, clean labels): n0·SNR^2 = Ω̃(1) suffices, under a
  // condition asking d large; the bound is not shown to be necessary.
  {
    method: METHOD.simclr,
    size: 'n_unlabeled',
    q: { op: '>', value: 2 },
    p: { op: '=', value: 0 },
    exponent: 2,
    source: 'ZC24',
    sufficient: true,
  },
];

// "Well below d" for a sufficient condition stated for d ≫ size: every size at most d / 10.
export const WELL_BELOW_D = 0.1;

const holds = (cond: Condition, value: number): boolean =>
  cond.op === '=' ? value === cond.value : cond.op === '>' ? value > cond.value : value >= cond.value;

export interface TheoryFit {
  size: SizeAxis;
  exponent: number;
  /** d log SNR* / d log size */
  slope: number;
  /** e.g. "n·SNR³ = c [CAO22]" */
  label: string;
  /** the line is a sufficient condition for d ≫ size (see TheoryLine.sufficient) */
  sufficient: boolean;
}

const SUPERSCRIPT: Record<string, string> = { '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵' };
const SYMBOL: Record<SizeAxis, string> = { n_labels: 'n', n_unlabeled: 'n0' };

/**
 * The theory line for SNR against `size` of a method at activation exponent q and label-flip rate p,
 * drawn for `metric`; null where no theorem of paper-spec gives one.
 */
export function theoryLine(
  method: string,
  size: string,
  q: number,
  p = 0,
  metric: string = 'test_error',
): TheoryFit | null {
  if (!(METRIC_PROPERTIES[metric as ResultMetric]?.theory ?? false)) return null;
  const line = THEORY_LINES.find(
    (l) => l.method === method && l.size === size && holds(l.q, q) && holds(l.p, p),
  );
  if (!line) return null;
  const exponent = line.exponent === 'q' ? q : line.exponent;
  const power = SUPERSCRIPT[String(exponent)] ?? `^${exponent}`;
  const symbol = SYMBOL[line.size];
  const condition = line.sufficient ? `, sufficient for d ≫ ${symbol}` : '';
  const label = `${symbol}·SNR${power} = c [${line.source}${condition}]`;
  return { size: line.size, exponent, slope: -1 / exponent, label, sufficient: line.sufficient };
}

/**
 * Whether a slope fitted over crossings at these sizes may be set against the line's: always for a
 * line the theorem states as the boundary, for a sufficient condition only where every size is well
 * below d.
 */
export function slopeComparable(fit: TheoryFit, sizes: number[], d: number): boolean {
  return !fit.sufficient || sizes.every((size) => size <= WELL_BELOW_D * d);
}

/** Where a sufficient condition's slope may be compared: "n0 well below d (≤ 20 at d = 200)". */
export function comparableRange(fit: TheoryFit, d: number): string {
  return `${SYMBOL[fit.size]} well below d (≤ ${WELL_BELOW_D * d} at d = ${d})`;
}

/** Why a fitted slope is not set against the line's (slopeComparable false), in one clause. */
export function notComparedReason(fit: TheoryFit, d: number): string {
  return `not compared with ${fit.label}: it holds for ${comparableRange(fit, d)}`;
}

const OP_TEXT: Record<Condition['op'], string> = { '=': '=', '>': '>', '>=': '≥' };

/**
 * Where each line is drawn, in words, for a dashboard's description: "k = 4 for supervised over
 * n_labels at q = 1, p ≥ 0 [KOU23]; …".
 */
export function theoryLinesText(): string {
  return THEORY_LINES.map((l) => {
    const exponent = l.exponent === 'q' ? 'q' : String(l.exponent);
    const sufficient = l.sufficient ? ', a sufficient condition for d ≫ size' : '';
    return `k = ${exponent} for ${l.method} over ${l.size} at q ${OP_TEXT[l.q.op]} ${l.q.value}, p ${OP_TEXT[l.p.op]} ${l.p.value} [${l.source}${sufficient}]`;
  }).join('; ');
}

/** The columns (SQL expressions) a dashboard query gives theoryExponentSql. */
export interface TheorySqlColumns {
  method: string;
  /** the activation exponent q */
  q: string;
  /** the label-flip rate p: a query must say it, since clean labels are only one case */
  p: string;
  /** SQL text naming the size axis */
  size: string;
  /** the metric the boundary is drawn for */
  metric: string;
}

/**
 * The same rule as a SQL expression, for the dashboards: the exponent, or NULL where no theorem applies
 * (the method, q and p outside every line's conditions, or a metric the theorems are not about).
 */
export function theoryExponentSql(c: TheorySqlColumns): string {
  const theoryMetrics = Object.entries(METRIC_PROPERTIES)
    .filter(([, props]) => props.theory)
    .map(([metric]) => `'${metric}'`);
  const cases = THEORY_LINES.map(
    (l) =>
      `WHEN ${c.method} = '${l.method}' AND ${c.size} = '${l.size}' AND ${c.q} ${l.q.op} ${l.q.value} AND ${c.p} ${l.p.op} ${l.p.value} THEN ${
        l.exponent === 'q' ? c.q : l.exponent
      }`,
  );
  return `CASE WHEN ${c.metric} IN (${theoryMetrics.join(', ')}) THEN CASE ${cases.join(' ')} END END`;
}
