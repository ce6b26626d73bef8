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
