// The phase boundaries the papers predict, as lines size · SNR^exponent = c (a straight line of slope
// -1/exponent in log SNR against log size). A view draws a theory line only where one of these applies:
// the terminal and plotted views evaluate the list in TypeScript, the dashboards compile it to SQL.

export const SIZE_AXES = ['n_labels', 'n_unlabeled'] as const;
export type SizeAxis = (typeof SIZE_AXES)[number];

export interface TheoryLine {
  method: string;
  size: SizeAxis;
  /** where the theorem holds, in the activation exponent q */
  q: { op: '=' | '>'; value: number };
  /** a number, or 'q' for the activation exponent itself */
  exponent: number | 'q';
  source: string;
}

export const THEORY_LINES: readonly TheoryLine[] = [
  // paper-spec 4.2: n·||mu||^4 >= C·sigma_p^4·d, i.e. n·d·SNR^4 = c at fixed d.
  {
    method: 'supervised',
    size: 'n_labels',
    q: { op: '=', value: 1 },
    exponent: 4,
    source: 'KOU23',
  },
  // paper-spec 4.1 (stated for q > 2): n·SNR^q = c.
  {
    method: 'supervised',
    size: 'n_labels',
    q: { op: '>', value: 2 },
    exponent: 'q',
    source: 'CAO22',
  },
  // paper-spec 4.3: pre-training aligns once n0·SNR^2 is large enough, whatever q is.
  {
    method: 'simclr',
    size: 'n_unlabeled',
    q: { op: '>', value: 0 },
    exponent: 2,
    source: 'ZC24',
  },
];

const holds = (cond: TheoryLine['q'], q: number): boolean =>
  cond.op === '=' ? q === cond.value : q > cond.value;

export interface TheoryFit {
  size: SizeAxis;
  exponent: number;
  /** d log SNR* / d log size */
  slope: number;
  /** e.g. "n·SNR³ = c [CAO22]" */
  label: string;
}

const SUPERSCRIPT: Record<string, string> = { '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵' };
const SYMBOL: Record<SizeAxis, string> = { n_labels: 'n', n_unlabeled: 'n0' };

/** The theory line for SNR against `size` of a method at activation exponent q, or null where no theorem gives one. */
export function theoryLine(method: string, size: string, q: number): TheoryFit | null {
  const line = THEORY_LINES.find((l) => l.method === method && l.size === size && holds(l.q, q));
  if (!line) return null;
  const exponent = line.exponent === 'q' ? q : line.exponent;
  const power = SUPERSCRIPT[String(exponent)] ?? `^${exponent}`;
  const label = `${SYMBOL[line.size]}·SNR${power} = c [${line.source}]`;
  return { size: line.size, exponent, slope: -1 / exponent, label };
}

/**
 * The same rule as a SQL expression over a method column, a q column and a SQL text naming the size
 * axis: the exponent, or NULL where no theorem applies.
 */
export function theoryExponentSql(method: string, q: string, size: string): string {
  const cases = THEORY_LINES.map(
    (l) =>
      `WHEN ${method} = '${l.method}' AND ${size} = '${l.size}' AND ${q} ${l.q.op} ${l.q.value} THEN ${
        l.exponent === 'q' ? q : l.exponent
      }`,
  );
  return `CASE ${cases.join(' ')} END`;
}
