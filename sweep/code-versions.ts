// The versions of a program (`method: command`) among a schedule's runs, and which of them a view reads.
// A program's grid points are matched on its parameters alone, so runs of two versions of it would be
// pooled as seeds of one point: `show --all-runs` and drift each read one version, chosen here.

/** `--code-hash all`: every version of the program pooled as one grid. */
export const ALL_VERSIONS = 'all';

// A code hash as the views (and the nightly dashboard) print it: enough of it to tell versions apart and
// to pass to --code-hash.
export const SHORT_HASH_CHARS = 12;
export const shortHash = (hash: string): string => hash.slice(0, SHORT_HASH_CHARS);

/** One version of a program among a schedule's runs. */
export interface CodeVersion {
  code_hash: string;
  /** the cells of this version with a result */
  results: number;
  /** the runs whose program had this code hash */
  runs: number;
}

// A --code-hash that names no version, or several: bad input (exit 2) wherever it is read.
class CodeVersionInputError extends Error {
  readonly badInput = true;
}

/** The versions, each with its results, as the messages name them; `read` is marked. */
export const listedVersions = (versions: readonly CodeVersion[], read: string | null): string =>
  versions
    .map(
      (v) =>
        `${shortHash(v.code_hash)} (${v.results} result${v.results === 1 ? '' : 's'}` +
        `${v.code_hash === read ? ', read here' : ''})`,
    )
    .join(', ');

function matching(versions: readonly CodeVersion[], prefix: string): CodeVersion {
  const found = versions.filter((v) => v.code_hash.startsWith(prefix));
  if (found.length === 1) return found[0];
  const known =
    versions.length > 0 ? listedVersions(versions, null) : 'none (a built-in method has no code hash)';
  throw new CodeVersionInputError(
    found.length === 0
      ? `--code-hash ${prefix}: no finished run of the schedule has that version of the program; its versions: ${known}`
      : `--code-hash ${prefix}: matches ${found.length} versions of the program (${listedVersions(found, null)}); give more of it`,
  );
}

/**
 * The full code hash of the version read among `versions` (newest first), or null for all of them
 * pooled (`--code-hash all`, or no version to tell apart). `flag` is --code-hash: a prefix of one
 * version, or `all`. Without it, `preferred` when it is one of them (drift: tonight's version, so that
 * it is compared with earlier runs of itself), else the newest (`show --all-runs`: the program as it is
 * now; drift: the version before tonight's).
 */
export function pickCodeVersion(
  versions: readonly CodeVersion[],
  flag: string | undefined,
  preferred: string | null = null,
): string | null {
  if (flag === ALL_VERSIONS) return null;
  if (flag !== undefined) return matching(versions, flag).code_hash;
  if (preferred !== null && versions.some((v) => v.code_hash === preferred)) return preferred;
  return versions[0]?.code_hash ?? null;
}

/** The code hash a stored sweep spec's program was registered with; null for a built-in method's spec. */
export function storedCodeHash(spec: unknown): string | null {
  const hash = (spec as { command?: { code_hash?: unknown } } | null)?.command?.code_hash;
  return typeof hash === 'string' ? hash : null;
}
