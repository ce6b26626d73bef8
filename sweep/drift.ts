import { AXES, gridParamsOf, type Axis, type GridParams } from './axes.ts';
import { benjaminiHochberg, welchTest } from './stats.ts';

// Drift between two sweeps of the same grid: which grid points' mean test error changed beyond what
// the seeds' spread explains. Per point, Welch's t-test on the test errors of the two sweeps' seeds;
// across the points compared, Benjamini-Hochberg at false-discovery rate DEFAULT_FDR, so that with
// dozens of points compared a few chance-level p-values do not read as drift. A point is flagged when
// its adjusted p-value is at most the FDR and its mean moved by at least DEFAULT_MIN_DELTA.
export const DEFAULT_FDR = 0.05;
export const DEFAULT_MIN_DELTA = 0.05;

// The grid axes a point is placed by in every sweep.
const POINT_AXES = ['method', 'n_labels', 'n_unlabeled', 'snr'] as const;

// The other trainer parameters (all of them, from the trainer's own list). Each is either an axis of
// the grid (several values in a sweep) or a fixed setting (one value): two sweeps whose fixed settings
// differ measure different things.
export type Setting = Exclude<Axis, 'seed' | (typeof POINT_AXES)[number]>;
export const SETTINGS = AXES.filter(
  (axis): axis is Setting => axis !== 'seed' && !(POINT_AXES as readonly string[]).includes(axis),
);
// An absent optional parameter (head_dim, pretrain_batch: the trainer's default) is null.
export type SettingValue = Exclude<GridParams[Setting], undefined> | null;

/** The fields of a grid point drift reads (the store's grid_point_stats rows have them): `params` is
 * the point's every parameter but the seed, as stored (older cells may lack later parameters). */
export interface DriftInput {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  params: Record<string, unknown>;
  n: number;
  mean_test_error: number | null;
  sd_test_error: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

export interface SettingDifference {
  setting: Setting;
  a: SettingValue;
  b: SettingValue;
}

export interface DriftPoint {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  // The point's every parameter but the seed: it tells apart points that differ only in, e.g., the head.
  // Absent in drift records stored before it was added.
  params?: Record<string, unknown>;
  before: number;
  after: number;
  delta: number;
  before_ci: [number, number] | null;
  after_ci: [number, number] | null;
  seeds_before: number;
  seeds_after: number;
  p_value: number;
  // Benjamini-Hochberg adjusted p-value across the points tested.
  q_value: number;
}

export interface DriftReport {
  // Fixed settings with one value in each sweep, but not the same one.
  settings_differ: SettingDifference[];
  points_a: number;
  points_b: number;
  // Grid points with a mean test error in both sweeps.
  compared: number;
  // Of those, the ones with two or more test errors on each side: only these can be tested.
  tested: number;
  only_in_a: number;
  only_in_b: number;
  fdr: number;
  min_delta: number;
  moved: DriftPoint[];
}

export interface DriftOptions {
  fdr?: number;
  minDelta?: number;
}

// A point with its parameters read as the trainer reads them: defaults filled in for older cells.
interface Placed {
  pt: DriftInput;
  settings: Record<Setting, string>;
}

function place(pt: DriftInput): Placed {
  const params = gridParamsOf(pt.params);
  const settings = Object.fromEntries(SETTINGS.map((s) => [s, JSON.stringify(params[s] ?? null)]));
  return { pt, settings: settings as Record<Setting, string> };
}

function distinct(points: Placed[], setting: Setting): string[] {
  return [...new Set(points.map((p) => p.settings[setting]))];
}

// Fixed settings that differ between the sweeps. They are left out of the point key, so that the
// points are still matched and the report shows what the change did to each.
function placedSettingsDiffer(a: Placed[], b: Placed[]): SettingDifference[] {
  const out: SettingDifference[] = [];
  for (const setting of SETTINGS) {
    const [va, vb] = [distinct(a, setting), distinct(b, setting)];
    if (va.length === 1 && vb.length === 1 && va[0] !== vb[0]) {
      out.push({ setting, a: JSON.parse(va[0]) as SettingValue, b: JSON.parse(vb[0]) as SettingValue });
    }
  }
  return out;
}

export function settingsDiffer(a: DriftInput[], b: DriftInput[]): SettingDifference[] {
  return placedSettingsDiffer(a.map(place), b.map(place));
}

const ciOf = (pt: DriftInput): [number, number] | null =>
  pt.ci95_low === null || pt.ci95_high === null ? null : [pt.ci95_low, pt.ci95_high];

export function gridDrift(a: DriftInput[], b: DriftInput[], opts: DriftOptions = {}): DriftReport {
  const fdr = opts.fdr ?? DEFAULT_FDR;
  const minDelta = opts.minDelta ?? DEFAULT_MIN_DELTA;
  const [placedA, placedB] = [a.map(place), b.map(place)];
  const differ = placedSettingsDiffer(placedA, placedB);
  const keyed = SETTINGS.filter((s) => !differ.some((d) => d.setting === s));
  const keyOf = ({ pt, settings }: Placed): string =>
    [...POINT_AXES.map((k) => String(pt[k] ?? '')), ...keyed.map((k) => settings[k])].join('|');
  const measured = (pts: Placed[]) => pts.filter((p) => p.pt.mean_test_error !== null);
  const before = new Map(measured(placedA).map((p) => [keyOf(p), p.pt]));
  const after = measured(placedB);
  const pairs = after.flatMap((p) => {
    const old = before.get(keyOf(p));
    return old ? [{ old, pt: p.pt }] : [];
  });
  const tests = pairs.flatMap(({ old, pt }) => {
    const summary = (x: DriftInput) => ({ n: x.n, mean: x.mean_test_error!, sd: x.sd_test_error });
    const result = welchTest(summary(old), summary(pt));
    return result ? [{ old, pt, p: result.p }] : [];
  });
  const qValues = benjaminiHochberg(tests.map((t) => t.p));
  const moved: DriftPoint[] = [];
  tests.forEach(({ old, pt, p }, i) => {
    const delta = pt.mean_test_error! - old.mean_test_error!;
    if (qValues[i] > fdr || Math.abs(delta) < minDelta) return;
    moved.push({
      method: pt.method,
      n_labels: pt.n_labels,
      n_unlabeled: pt.n_unlabeled,
      snr: pt.snr,
      params: pt.params,
      before: old.mean_test_error!,
      after: pt.mean_test_error!,
      delta,
      before_ci: ciOf(old),
      after_ci: ciOf(pt),
      seeds_before: old.n,
      seeds_after: pt.n,
      p_value: p,
      q_value: qValues[i],
    });
  });
  return {
    settings_differ: differ,
    points_a: a.length,
    points_b: b.length,
    compared: pairs.length,
    tested: tests.length,
    only_in_a: before.size - pairs.length,
    only_in_b: after.length - pairs.length,
    fdr,
    min_delta: minDelta,
    moved,
  };
}
