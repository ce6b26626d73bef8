import { pickCodeVersion, type CodeVersion } from './code-versions.ts';

/** An earlier run of a schedule: its program's code hash (null for a built-in method) and its results. */
export interface EarlierRun {
  id: string;
  code_hash: string | null;
  results: number;
}

export interface DriftBaseline {
  /** the runs compared against, newest first */
  runs: string[];
  /** tonight's version of the program, and the baseline's (null: a built-in method, or versions pooled
   * with `--code-hash all`) */
  code_hash: string | null;
  baseline_code_hash: string | null;
}

// The versions among the runs, newest first (the runs are), each with its runs and results.
function versionsOf(runs: readonly EarlierRun[]): CodeVersion[] {
  const out = new Map<string, CodeVersion>();
  for (const r of runs) {
    if (r.code_hash === null) continue;
    const v = out.get(r.code_hash) ?? { code_hash: r.code_hash, results: 0, runs: 0 };
    out.set(r.code_hash, { ...v, results: v.results + r.results, runs: v.runs + 1 });
  }
  return [...out.values()];
}

/**
 * What a scheduled run's drift is tested against, among its schedule's earlier finished runs (newest
 * first): the previous run, or with fresh seeds every earlier run pooled (tonight's seeds against all
 * earlier ones). A program's runs are of one version each (its code hash is in every cell key), and its
 * points are matched on its parameters alone, so a baseline holds one version: tonight's, when earlier
 * runs have it (a changed result is drift of the same program), else the one before it (the change of
 * the program is what is measured; same seeds pair). `flag` is `drift --code-hash` (sweep/code-versions.ts
 * reads it as `show --all-runs` does). Null when there is no earlier run.
 */
export function driftBaseline(
  tonight: string | null,
  earlier: readonly EarlierRun[],
  freshSeeds: boolean,
  flag?: string,
): DriftBaseline | null {
  const versions = versionsOf(earlier);
  const read = pickCodeVersion(versions, flag, tonight);
  const candidates = read === null ? earlier : earlier.filter((r) => r.code_hash === read);
  if (candidates.length === 0) return null;
  const runs = freshSeeds ? candidates : candidates.slice(0, 1);
  const hashes = new Set(runs.map((r) => r.code_hash));
  const [only] = hashes;
  return {
    runs: runs.map((r) => r.id),
    code_hash: tonight,
    baseline_code_hash: hashes.size === 1 ? only : null,
  };
}
