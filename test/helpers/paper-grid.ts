import type { BuiltInPoint as GridPoint } from '../../store/grid-points.ts';
import { normalizeParams } from '../../sweep/cells.ts';
import { parseCellParams, RESULT_METRICS } from '../../trainer/index.ts';

// Mean test errors of paper-spec 6.1 (supervised, d=200, q=3; rows n, columns SNR) and the fine-tuned
// errors of 6.3 (SimCLR, rows n0, columns SNR, at 4 and 16 labels), as grid points the views consume.
export const SNR_61 = [0.1, 0.129, 0.167, 0.215, 0.278, 0.359, 0.464, 0.599, 0.774, 1.0];
export const TABLE_61: Record<number, number[]> = {
  4: [0.49, 0.49, 0.49, 0.49, 0.48, 0.44, 0.35, 0.26, 0.0, 0.0],
  16: [0.5, 0.5, 0.5, 0.5, 0.5, 0.47, 0.11, 0.0, 0.0, 0.0],
  64: [0.48, 0.48, 0.48, 0.48, 0.48, 0.24, 0.0, 0.0, 0.0, 0.0],
  256: [0.52, 0.52, 0.52, 0.04, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
};
export const SNR_63 = [0.05, 0.1, 0.2, 0.4];
export const TABLE_63: Record<number, Record<number, number[]>> = {
  4: { 25: [0.49, 0.48, 0, 0], 100: [0.51, 0.39, 0, 0], 400: [0.5, 0.19, 0, 0], 1600: [0.51, 0, 0, 0] },
  16: { 25: [0.5, 0.38, 0, 0], 100: [0.5, 0.21, 0, 0], 400: [0.51, 0.16, 0, 0], 1600: [0.49, 0.02, 0, 0] },
};

const none = { n: 0, mean: null, ci95_low: null, ci95_high: null };

/** A grid point over two seeds with the given mean test error (other metrics absent). */
export function point(
  method: 'supervised' | 'simclr',
  n: number,
  n0: number | null,
  snr: number,
  err: number,
  extra: Record<string, number | string> = {},
): GridPoint {
  const { seed: _seed, ...params } = normalizeParams(
    parseCellParams({
      method,
      n_labels: n,
      ...(n0 === null ? {} : { n_unlabeled: n0 }),
      snr,
      d: 200,
      q: 3,
      p: 0,
      ...extra,
    }),
  );
  const metrics = Object.fromEntries(RESULT_METRICS.map((m) => [m, none])) as GridPoint['metrics'];
  metrics.test_error = { n: 2, mean: err, ci95_low: err - 0.01, ci95_high: err + 0.01 };
  return { params, cells: 2, seeds: 2, diverged: 0, failed: 0, round: 0, metrics };
}

export function supervisedGrid(): GridPoint[] {
  return Object.entries(TABLE_61).flatMap(([n, errs]) =>
    errs.map((e, j) => point('supervised', Number(n), null, SNR_61[j]!, e)),
  );
}

export function simclrGrid(): GridPoint[] {
  return Object.entries(TABLE_63).flatMap(([n, rows]) =>
    Object.entries(rows).flatMap(([n0, errs]) =>
      errs.map((e, j) => point('simclr', Number(n), Number(n0), SNR_63[j]!, e)),
    ),
  );
}

/** Supervised rows at the 6.3 SNRs and label counts (supervised-from-scratch column of 6.3). */
export function supervisedAt63(): GridPoint[] {
  return [4, 16].flatMap((n) =>
    SNR_63.map((snr) => point('supervised', n, null, snr, snr >= 0.4 && n === 16 ? 0.37 : 0.5)),
  );
}

/**
 * Mean errors that follow a boundary law n · SNR^exponent = c exactly (smoothly, in log distance from
 * the line), at the coordinates of every cell of a spec: benign at `floor`, harmful at 0.5.
 */
export function lawGrid(
  cells: { params: { method: string; n_labels: number; snr: number; d: number; q: number; p: number } }[],
  exponent: number,
  c: number,
  floor = 0,
): GridPoint[] {
  const points = new Map<string, GridPoint>();
  for (const { params: x } of cells) {
    const above = Math.log(x.n_labels * x.snr ** exponent) - Math.log(c);
    const err = floor + (0.5 - floor) / (1 + Math.exp(4 * above));
    points.set(
      `${x.n_labels}|${x.snr}`,
      point('supervised', x.n_labels, null, x.snr, err, { d: x.d, q: x.q, p: x.p }),
    );
  }
  return [...points.values()];
}
