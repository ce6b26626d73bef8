import { AXES, gridParamsOf, type Axis, type GridParams } from './axes.ts';
import { canonicalJson } from './canonical-json.ts';
import { PAIRED_TESTS, pairedTest } from './paired-test.ts';
import { benjaminiHochberg, mean, summarizeMetric, summarizeSample, welchTest } from './stats.ts';
import { userParams, type CommandParams } from '../trainer/index.ts';

// Drift between two sweeps of the same grid: which grid points' mean test error changed beyond what
// the seeds' spread explains. A cell of the second sweep whose key the first has is a cache hit: the
// same stored number on both sides, no evidence of anything; a point is compared on the second sweep's
// retrained cells only. Those that share two or more seeds with the first sweep (a retrain under a
// new trainer version: same seeds, same data) are tested on the per-seed differences; the others
// (new seeds, `schedule create --fresh-seeds`) by Welch's t-test against all of the first sweep's.
// Across the points tested, Benjamini-Hochberg at false-discovery rate DEFAULT_FDR, so that with
// dozens of points a few chance-level p-values do not read as drift. A point is flagged when its
// adjusted p-value is at most the FDR and its mean moved by at least DEFAULT_MIN_DELTA.
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

/** One cell of a sweep with the value of the metric compared (test error unless `drift --metric` names
 * another), as the store returns it (store/drift.ts): `params` is the cell's every parameter but the
 * seed, as stored (older cells may lack later parameters). Diverged cells carry no metric and are not
 * samples. A program's cell (`method: command`, by_name) has its parameters by its own names only
 * (the CNN's columns null) and the hash of the program's code that made its result. */
export interface DriftSample {
  cell_key: string;
  method: string;
  n_labels: number | null;
  n_unlabeled: number | null;
  snr: number | null;
  seed: number;
  params: Record<string, unknown>;
  value: number;
  by_name?: boolean;
  code_hash?: string | null;
}

// How a point was tested: on the per-seed differences where both sides trained the same seeds
// (sweep/paired-test.ts chooses between paired t and Wilcoxon), Welch's unpaired test otherwise.
export const DRIFT_TESTS = ['welch', ...PAIRED_TESTS] as const;
export type DriftTest = (typeof DRIFT_TESTS)[number];

export interface SettingDifference {
  setting: Setting;
  a: SettingValue;
  b: SettingValue;
}

export interface DriftPoint {
  method: string;
  // Null for a program's point (its coordinates are in params).
  n_labels: number | null;
  n_unlabeled: number | null;
  snr: number | null;
  // The point's every parameter but the seed: it tells apart points that differ only in, e.g., the head.
  // Absent in drift records stored before it was added.
  params?: Record<string, unknown>;
  // Absent in drift records stored before paired tests: those were Welch.
  test?: DriftTest;
  // Means of the metric compared over the samples tested (for a paired test, of the paired seeds on each side).
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
  // Grid points with a test error in both sweeps.
  compared: number;
  // Of those, the ones where the second sweep has a cell the first has not: every other one is all
  // cache hits, the same numbers on both sides. 0 when nothing was retrained.
  retrained: number;
  // Of the retrained, the ones with enough samples to test (two or more on each side, or two pairs).
  tested: number;
  // Of the tested, the ones tested on per-seed differences.
  paired: number;
  only_in_a: number;
  only_in_b: number;
  fdr: number;
  min_delta: number;
  moved: DriftPoint[];
  // The code hashes of the program that made each side's results (`method: command`; empty for the
  // built-in methods): two versions of a program compared.
  code_hashes: { a: string[]; b: string[] };
}

export interface DriftOptions {
  fdr?: number;
  minDelta?: number;
}

// A sample with its parameters read as the trainer reads them: defaults filled in for older cells. A
// program's point is its own parameters only (`point`).
interface Placed {
  sample: DriftSample;
  settings: Record<Setting, string>;
  point?: Record<string, unknown>;
}

// A program's parameters are all its own: it has none of the trainer's settings, and its points are
// matched on every one of them (keyOf), but not on the program's identity (argv, env, code hash) that
// its cells also hold: two versions of a program are what drift compares.
const NO_SETTINGS = Object.fromEntries(SETTINGS.map((s) => [s, 'null'])) as Record<Setting, string>;

function place(sample: DriftSample): Placed {
  if (sample.by_name) {
    const point = {
      method: sample.method,
      ...userParams({ seed: sample.seed, ...sample.params } as CommandParams),
    };
    return { sample, settings: NO_SETTINGS, point };
  }
  const params = gridParamsOf(sample.params);
  const settings = Object.fromEntries(SETTINGS.map((s) => [s, JSON.stringify(params[s] ?? null)]));
  return { sample, settings: settings as Record<Setting, string> };
}

function distinct(samples: Placed[], setting: Setting): string[] {
  return [...new Set(samples.map((p) => p.settings[setting]))];
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

export function settingsDiffer(a: DriftSample[], b: DriftSample[]): SettingDifference[] {
  return placedSettingsDiffer(a.map(place), b.map(place));
}

function groupBy(samples: Placed[], keyOf: (p: Placed) => string): Map<string, Placed[]> {
  const out = new Map<string, Placed[]>();
  for (const p of samples) {
    const key = keyOf(p);
    const group = out.get(key);
    if (group) group.push(p);
    else out.set(key, [p]);
  }
  return out;
}

interface PointTest {
  test: DriftTest;
  before: number[];
  after: number[];
  p: number;
}

// The test of one point: `old` all of the first sweep's samples there, `fresh` the second sweep's
// retrained ones. Paired on the seeds both have (a seed the first sweep holds twice, from two trainer
// versions, pairs with neither), when there are two or more such pairs; else Welch. Null when untestable.
function testPoint(old: DriftSample[], fresh: DriftSample[]): PointTest | null {
  const seedCount = new Map<number, number>();
  for (const s of old) seedCount.set(s.seed, (seedCount.get(s.seed) ?? 0) + 1);
  const bySeed = new Map(old.filter((s) => seedCount.get(s.seed) === 1).map((s) => [s.seed, s]));
  const pairs = fresh.filter((s) => bySeed.has(s.seed)).sort((x, y) => x.seed - y.seed);
  if (pairs.length >= 2) {
    const before = pairs.map((s) => bySeed.get(s.seed)!.value);
    const after = pairs.map((s) => s.value);
    const result = pairedTest(before, after)!;
    return { test: result.test, before, after, p: result.p };
  }
  const before = old.map((s) => s.value);
  const after = fresh.map((s) => s.value);
  const result = welchTest(summarizeSample(before), summarizeSample(after));
  return result ? { test: 'welch', before, after, p: result.p } : null;
}

function ci95(values: number[]): [number, number] | null {
  const { n, mean, sd } = summarizeSample(values);
  const s = summarizeMetric(n, mean, sd);
  return s.ci95_low === null || s.ci95_high === null ? null : [s.ci95_low, s.ci95_high];
}

const codeHashes = (samples: DriftSample[]): string[] =>
  [...new Set(samples.flatMap((s) => (s.code_hash ? [s.code_hash] : [])))].sort();

export function gridDrift(a: DriftSample[], b: DriftSample[], opts: DriftOptions = {}): DriftReport {
  const fdr = opts.fdr ?? DEFAULT_FDR;
  const minDelta = opts.minDelta ?? DEFAULT_MIN_DELTA;
  const [placedA, placedB] = [a.map(place), b.map(place)];
  const differ = placedSettingsDiffer(placedA, placedB);
  const keyed = SETTINGS.filter((s) => !differ.some((d) => d.setting === s));
  const keyOf = ({ sample, settings, point }: Placed): string =>
    point
      ? `named|${canonicalJson(point)}`
      : [...POINT_AXES.map((k) => String(sample[k] ?? '')), ...keyed.map((k) => settings[k])].join('|');
  const before = groupBy(placedA, keyOf);
  const after = groupBy(placedB, keyOf);
  const shared = [...after].flatMap(([key, now]) => {
    const old = before.get(key);
    return old ? [{ old: old.map((p) => p.sample), now }] : [];
  });
  const retrained = shared.flatMap(({ old, now }) => {
    const keys = new Set(old.map((s) => s.cell_key));
    const fresh = now.filter((p) => !keys.has(p.sample.cell_key));
    return fresh.length > 0 ? [{ old, fresh }] : [];
  });
  const tests = retrained.flatMap(({ old, fresh }) => {
    const result = testPoint(
      old,
      fresh.map((p) => p.sample),
    );
    return result
      ? [{ pt: fresh[0].sample, params: fresh[0].point ?? fresh[0].sample.params, ...result }]
      : [];
  });
  const qValues = benjaminiHochberg(tests.map((t) => t.p));
  const moved: DriftPoint[] = [];
  tests.forEach(({ pt, params, test, before: x, after: y, p }, i) => {
    const [meanBefore, meanAfter] = [mean(x), mean(y)];
    const delta = meanAfter - meanBefore;
    if (qValues[i] > fdr || Math.abs(delta) < minDelta) return;
    moved.push({
      method: pt.method,
      n_labels: pt.n_labels,
      n_unlabeled: pt.n_unlabeled,
      snr: pt.snr,
      params,
      test,
      before: meanBefore,
      after: meanAfter,
      delta,
      before_ci: ci95(x),
      after_ci: ci95(y),
      seeds_before: x.length,
      seeds_after: y.length,
      p_value: p,
      q_value: qValues[i],
    });
  });
  return {
    settings_differ: differ,
    points_a: before.size,
    points_b: after.size,
    compared: shared.length,
    retrained: retrained.length,
    tested: tests.length,
    paired: tests.filter((t) => t.test !== 'welch').length,
    only_in_a: before.size - shared.length,
    only_in_b: after.size - shared.length,
    fdr,
    min_delta: minDelta,
    moved,
    code_hashes: { a: codeHashes(a), b: codeHashes(b) },
  };
}
