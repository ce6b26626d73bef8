// The trainer benchmark's comparison with jax_grid.py (the JAX program of the same grids, written for speed).
// It runs only where the given Python has JAX; our program and the JAX one alternate within one run so
// that both see the same machine load, and medians of each are compared.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { METHOD } from '../trainer/index.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./jax_grid.py', import.meta.url));

// jax_grid.py's grids are named after the methods they train.
export type JaxGrid = typeof METHOD.supervised | typeof METHOD.simclr;

export interface Timing {
  seconds: number;
  cpu_seconds: number;
}

export interface JaxRun extends Timing {
  jax: string;
  cells: number;
  phases: Record<string, number>;
  table: Record<string, number>[];
}

/** JAX's version under `python`, or why it cannot be used. */
export async function jaxVersion(python: string): Promise<{ version: string } | { missing: string }> {
  try {
    const { stdout } = await run(python, ['-c', 'import jax; print(jax.__version__)']);
    return { version: stdout.trim() };
  } catch (err) {
    const reason =
      err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'not found' : 'has no jax';
    return { missing: `${python} ${reason}` };
  }
}

export async function runJax(python: string, grid: JaxGrid): Promise<JaxRun> {
  const { stdout } = await run(python, [SCRIPT, grid], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as JaxRun;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export interface Comparison {
  rounds: number;
  ours: Timing[];
  jax: JaxRun[];
  /** median wall seconds, ours / JAX: below 1 means ours is faster */
  wall_ratio: number;
  cpu_ratio: number;
}

/**
 * `rounds` alternations of JAX, then ours (after the first run of ours the caller has already timed).
 */
export async function alternate(
  python: string,
  grid: JaxGrid,
  rounds: number,
  first: Timing,
  ours: () => Promise<Timing>,
): Promise<Comparison> {
  const oursRuns = [first];
  const jaxRuns: JaxRun[] = [];
  for (let r = 0; r < rounds; r++) {
    jaxRuns.push(await runJax(python, grid));
    if (r + 1 < rounds) oursRuns.push(await ours());
  }
  const med = (xs: Timing[], k: keyof Timing) => median(xs.map((x) => x[k]));
  return {
    rounds,
    ours: oursRuns,
    jax: jaxRuns,
    wall_ratio: med(oursRuns, 'seconds') / med(jaxRuns, 'seconds'),
    cpu_ratio: med(oursRuns, 'cpu_seconds') / med(jaxRuns, 'cpu_seconds'),
  };
}

interface PhasePoint {
  n: number;
  snr: number;
  mean_test_error: number;
}

/**
 * Our 6.1 phase table against JAX's. Its data come from numpy's generator, not ours, so cells next to
 * the boundary differ draw for draw; the boundaries and the cells far from it should not.
 */
export function describeAgreement(ours: PhasePoint[], jax: Record<string, number>[]): string {
  const theirs = new Map(jax.map((p) => [`${p.n} ${p.snr}`, p.mean_test_error]));
  const diffs = ours.map((p) => Math.abs(p.mean_test_error - theirs.get(`${p.n} ${p.snr}`)!));
  const boundary = (table: PhasePoint[]) =>
    [...new Set(table.map((p) => p.n))].map(
      (n) => table.find((p) => p.n === n && p.mean_test_error < 0.25)?.snr.toFixed(2) ?? '-',
    );
  return [
    `JAX's test errors against ours (its data are numpy's draws): max |difference| ${Math.max(...diffs).toFixed(2)}, ${diffs.filter((d) => d > 0.1).length} of ${diffs.length} cells off by > 0.1`,
    `  boundary SNR*(n), ours: ${boundary(ours).join(', ')}; JAX: ${boundary(jax as unknown as PhasePoint[]).join(', ')}`,
  ].join('\n');
}

export function describe(c: Comparison): string {
  const secs = (xs: Timing[]) =>
    xs.map((x) => `${x.seconds.toFixed(2)} s / ${x.cpu_seconds.toFixed(1)} CPU s`);
  const last = c.jax.at(-1)!;
  const phases = Object.entries(last.phases)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
    .join(', ');
  return [
    `JAX ${last.jax} float32, one jit program, hand-written Gram-form GD (bench/jax_grid.py), alternating with ours, ${c.rounds} round(s) each:`,
    `  ours: ${secs(c.ours).join('; ')}`,
    `  JAX:  ${secs(c.jax).join('; ')} (its last run: ${phases})`,
    `  ratio ours / JAX, medians: wall ${c.wall_ratio.toFixed(2)}, CPU ${c.cpu_ratio.toFixed(2)}`,
  ].join('\n');
}
