// Shared by the refine tests (integration and faults): a small refined supervised sweep, and the
// checks of its boundaries, cells per round and show --json.
import assert from 'node:assert/strict';
import { runPhasesweep } from './stack.ts';
import { queryRows } from './sweeps.ts';

// Two rows of the supervised diagram (paper-spec 6.1 settings, fewer test points): n = 16 crosses
// 0.25 between SNR 0.36 and 0.46, n = 64 between 0.28 and 0.36. Four coarse SNRs, bisected to 0.05
// in log10 SNR: three rounds of one value x two seeds per row. Each test has its own seeds, so that
// an interrupted sweep trains for real instead of hitting another test's cache.
export function refinedSpec(firstSeed: number) {
  return {
    method: 'supervised',
    grid: {
      n_labels: [16, 64],
      snr: { geomspace: [0.1, 1.0, 4] },
      seed: { range: [firstSeed, firstSeed + 2] },
    },
    fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1, steps: 1000, n_test: 400 },
    resources: { batch_size: 2, max_in_flight: 2 },
    refine: { axis: 'snr', metric: 'test_error', threshold: 0.25, resolution: RESOLUTION, max_rounds: 8 },
  };
}
const RESOLUTION = 0.05;
// 16 grid cells, then 3 rounds of 2 rows x 2 seeds.
export const CELLS_PER_ROUND = [16, 4, 4, 4];
export const REFINED_TOTAL = 28;

export interface ShownBoundary {
  method: string;
  n_labels: number;
  kind: string;
  crossing: number | null;
  ci95: [number, number] | null;
  seeds: number;
  grid_bracket: [number, number] | null;
  rounds: number;
  cells: number;
}

export async function showJson(
  sweepId: string,
  env: NodeJS.ProcessEnv,
): Promise<{ boundaries: ShownBoundary[]; slopes: unknown[] }> {
  const shown = await runPhasesweep(['show', sweepId, '--json'], env);
  assert.equal(shown.code, 0, shown.stderr);
  const json = JSON.parse(shown.stdout) as { boundaries: ShownBoundary[]; boundary_slopes: unknown[] };
  return { boundaries: json.boundaries, slopes: json.boundary_slopes };
}

export async function cellsPerRound(databaseUrl: string, sweepId: string): Promise<number[]> {
  const rows = await queryRows<{ round: number; n: number }>(
    databaseUrl,
    `SELECT coalesce(rc.round, 0) AS round, count(*)::int AS n FROM sweep_cells c
     LEFT JOIN refine_cells rc USING (sweep_id, cell_key) WHERE c.sweep_id = $1 GROUP BY 1 ORDER BY 1`,
    [sweepId],
  );
  return rows.map((r) => r.n);
}

export function checkBoundaries(boundaries: ShownBoundary[]): void {
  assert.deepEqual(
    boundaries.map((b) => [b.method, b.n_labels, b.kind]),
    [
      ['supervised', 16, 'crossing'],
      ['supervised', 64, 'crossing'],
    ],
  );
  for (const b of boundaries) {
    const [low, high] = b.grid_bracket!;
    assert.ok(Math.log10(high / low) <= RESOLUTION, `n=${b.n_labels}: bracket [${low}, ${high}]`);
    assert.ok(b.crossing! >= low && b.crossing! <= high);
    // The interval over the two seeds holds the crossing of their mean.
    assert.equal(b.seeds, 2);
    assert.ok(b.ci95![0] <= b.crossing! && b.crossing! <= b.ci95![1], `n=${b.n_labels}: ci95 ${b.ci95}`);
    // paper-spec 6.1: SNR* between 0.2 and 0.5 for these rows.
    assert.ok(b.crossing! > 0.2 && b.crossing! < 0.5, `n=${b.n_labels}: crossing ${b.crossing}`);
    // 4 grid SNRs + 3 bisection rounds, 2 seeds each.
    assert.equal(b.rounds, 3);
    assert.equal(b.cells, (4 + 3) * 2);
  }
  // More labels, a lower SNR*.
  assert.ok(boundaries[1].crossing! < boundaries[0].crossing!);
}

// The same two rows with refine.seeds and refine.trace: brackets to 0.1 in log10 SNR, then seeds (up
// to 4) beside each settled crossing, and rows of n_labels between 16 and 64 while adjacent crossings
// differ by more than 0.05; three rounds at most, to keep it short.
export const SEEDS_MAX = 4;
export function seededTracedSpec(firstSeed: number) {
  const spec = refinedSpec(firstSeed);
  return {
    ...spec,
    refine: {
      ...spec.refine,
      resolution: 0.1,
      max_rounds: 3,
      seeds: { max: SEEDS_MAX, ci_width: 0.01 },
      trace: { axis: 'n_labels', resolution: 0.05 },
    },
  };
}

export interface StoredCell {
  n_labels: number;
  snr: number;
  seed: number;
  round: number;
  metric: number | null;
}

export async function storedCells(databaseUrl: string, sweepId: string): Promise<StoredCell[]> {
  return queryRows<StoredCell>(
    databaseUrl,
    `SELECT (c.params->>'n_labels')::int AS n_labels, (c.params->>'snr')::float8 AS snr,
       (c.params->>'seed')::int AS seed, coalesce(rc.round, 0) AS round,
       CASE WHEN NOT r.diverged THEN r.test_error END AS metric
     FROM sweep_cells c LEFT JOIN refine_cells rc USING (sweep_id, cell_key)
     LEFT JOIN results r ON r.cell_key = c.cell_key
     WHERE c.sweep_id = $1 ORDER BY c.ordinal`,
    [sweepId],
  );
}

// What refine.seeds and refine.trace must have done, from the stored cells: rows added between the
// grid's and marked traced, each with a crossing; seeds added only beside crossings, up to the max,
// while the grid's far SNRs keep their two seeds.
export function checkSeededTraced(
  boundaries: (ShownBoundary & { traced: boolean })[],
  cells: StoredCell[],
): void {
  const traced = boundaries.filter((b) => b.traced);
  assert.ok(traced.length >= 1, `a traced row: ${JSON.stringify(boundaries)}`);
  for (const b of boundaries) {
    assert.equal(b.traced, ![16, 64].includes(b.n_labels), `n=${b.n_labels} marked`);
    assert.equal(b.kind, 'crossing', `n=${b.n_labels}`);
    assert.ok(b.n_labels >= 16 && b.n_labels <= 64);
  }
  const seedsAt = new Map<string, Set<number>>();
  for (const c of cells) {
    const key = `${c.n_labels}@${c.snr}`;
    seedsAt.set(key, (seedsAt.get(key) ?? new Set()).add(c.seed));
  }
  const counts = [...seedsAt.entries()].map(([key, seeds]) => ({ key, n: seeds.size }));
  assert.ok(
    counts.some((c) => c.n > 2),
    `seeds were added: ${JSON.stringify(counts)}`,
  );
  assert.ok(
    counts.every((c) => c.n <= SEEDS_MAX),
    JSON.stringify(counts),
  );
  for (const n of [16, 64]) {
    for (const snr of [0.1, 1]) assert.equal(seedsAt.get(`${n}@${snr}`)?.size, 2, `n=${n} snr=${snr}`);
  }
}
