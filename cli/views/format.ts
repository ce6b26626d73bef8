// Compact number formats for fixed-width terminal cells.

/** An error rate in four characters: ".49", "1.0", " -- " for missing. */
export function fmtError(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '--';
  if (value >= 0.995) return '1.0';
  return value.toFixed(2).replace(/^0/, '');
}

/** An SNR or sample size in at most four characters. */
export function fmtAxis(value: number): string {
  if (value === 0) return '0';
  if (value >= 1) {
    if (value >= 10000) return value.toExponential(0).replace('+', '');
    return Number.isInteger(value) ? String(value) : value.toPrecision(2);
  }
  if (value < 0.01) return value.toExponential(0);
  return value.toFixed(2).replace(/^0/, '');
}

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.01 && value !== 0)
    ? value.toPrecision(digits)
    : String(Number(value.toPrecision(Math.max(digits, 1))));
}
