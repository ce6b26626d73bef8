import type { MetricSummary } from '../sweep/stats.ts';
import { REGIMES, type AxisValue, type Regime } from './design.ts';
import type { Check, Statement } from './statements.ts';
import type { Variant, VariantResult } from './summarize.ts';
import { order, outcome, verdictOf, type Outcome, type Verdict } from './verdicts.ts';

/** One check of a statement in one regime at one SNR. */
export interface CheckRow {
  check: Check;
  regime: Regime;
  snr: number;
  a: MetricSummary;
  b: MetricSummary;
  outcome: Outcome;
  besideA?: MetricSummary;
  besideB?: MetricSummary;
  besideOutcome?: Outcome;
}

export interface StatementResult {
  statement: Statement;
  rows: CheckRow[];
  /** decided by `metric` alone */
  verdict: Verdict;
  verdictByRegime: Record<Regime, Verdict>;
  besideVerdict?: Verdict;
}

const sameValue = (x: AxisValue | undefined, y: AxisValue) => x === y;
const matches = (result: VariantResult, grid: string, variant: Variant) =>
  result.grid === grid && Object.entries(variant).every(([axis, v]) => sameValue(result.variant[axis], v));

export function evaluate(statement: Statement, results: VariantResult[]): StatementResult {
  const rows: CheckRow[] = [];
  for (const check of statement.checks) {
    for (const a of results.filter((r) => matches(r, check.grid, check.a))) {
      const b = results.find(
        (r) => r.regime === a.regime && r.snr === a.snr && matches(r, check.bGrid ?? check.grid, check.b),
      );
      if (!b) continue;
      const row: CheckRow = {
        check,
        regime: a.regime,
        snr: a.snr,
        a: a.metrics[statement.metric],
        b: b.metrics[statement.metric],
        outcome: outcome(order(a.metrics[statement.metric], b.metrics[statement.metric]), check.expect),
      };
      if (statement.beside) {
        row.besideA = a.metrics[statement.beside];
        row.besideB = b.metrics[statement.beside];
        row.besideOutcome = outcome(order(row.besideA, row.besideB), check.expect);
      }
      rows.push(row);
    }
  }
  const verdictByRegime = Object.fromEntries(
    REGIMES.map((regime) => [
      regime,
      verdictOf(rows.filter((r) => r.regime === regime).map((r) => r.outcome)),
    ]),
  ) as Record<Regime, Verdict>;
  return {
    statement,
    rows,
    verdict: verdictOf(rows.map((r) => r.outcome)),
    verdictByRegime,
    besideVerdict: statement.beside ? verdictOf(rows.map((r) => r.besideOutcome!)) : undefined,
  };
}
