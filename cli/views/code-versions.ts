import type { CodeVersion } from '../../store/schedule-grid-points.ts';
import { BadInputError } from '../exit.ts';

/** `--code-hash all`: every version of the program pooled as one grid. */
export const ALL_VERSIONS = 'all';

// A code hash as the views print it: enough of it to tell versions apart and to pass to --code-hash.
export const shortHash = (hash: string): string => hash.slice(0, 12);

export interface CodeVersionChoice {
  /** every version among the runs pooled, newest first */
  versions: CodeVersion[];
  /** the full code hash read, or null when the pooled runs are read whatever their version */
  code_hash: string | null;
  /** the line saying that the runs hold several versions, and which is read: null for one version */
  warning: string | null;
  /** the version the pooled cells are filtered on: null when there is nothing to tell apart */
  filter: string | null;
}

const listed = (versions: readonly CodeVersion[], read: string | null) =>
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
  const known = versions.length > 0 ? listed(versions, null) : 'none (a built-in method has no code hash)';
  throw new BadInputError(
    found.length === 0
      ? `--code-hash ${prefix}: no finished run of the schedule has that version of the program; its versions: ${known}`
      : `--code-hash ${prefix}: matches ${found.length} versions of the program (${listed(found, null)}); give more of it`,
  );
}

/**
 * Which version of a program `show --all-runs` reads, and what it says about it. Matching a program's
 * grid points is by its parameters alone, so runs of two versions of it would be pooled as seeds of one
 * point: by default only the newest version is read (the program as it is now), `--code-hash PREFIX`
 * reads another one and `--code-hash all` pools them all. Either way the line names every version with
 * its results, and `show --json` carries the same choice.
 */
export function chooseCodeVersion(
  versions: readonly CodeVersion[],
  flag: string | undefined,
  scheduleId: string,
): CodeVersionChoice {
  const read =
    flag === ALL_VERSIONS
      ? null
      : flag !== undefined
        ? matching(versions, flag).code_hash
        : (versions[0]?.code_hash ?? null);
  if (versions.length < 2) return { versions: [...versions], code_hash: read, warning: null, filter: null };
  const how =
    read === null
      ? `all pooled here as one grid (--code-hash PREFIX reads one of them)`
      : `only ${shortHash(read)} is read here (--code-hash PREFIX reads another, --code-hash ${ALL_VERSIONS} pools them)`;
  return {
    versions: [...versions],
    code_hash: read,
    filter: read,
    warning: `warning: the finished runs of schedule ${scheduleId} hold ${versions.length} versions of the program: ${listed(versions, read)}; ${how}`,
  };
}
