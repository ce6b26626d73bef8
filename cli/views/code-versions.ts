import {
  ALL_VERSIONS,
  listedVersions,
  pickCodeVersion,
  shortHash,
  type CodeVersion,
} from '../../sweep/code-versions.ts';

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

/**
 * Which version of a program `show --all-runs` reads, and what it says about it: by default only the
 * newest version (the program as it is now), `--code-hash PREFIX` another one and `--code-hash all`
 * pools them all (sweep/code-versions.ts picks, as it does for drift). Either way the line names every
 * version with its results, and `show --json` carries the same choice.
 */
export function chooseCodeVersion(
  versions: readonly CodeVersion[],
  flag: string | undefined,
  scheduleId: string,
): CodeVersionChoice {
  const read = pickCodeVersion(versions, flag);
  if (versions.length < 2) return { versions: [...versions], code_hash: read, warning: null, filter: null };
  const how =
    read === null
      ? `all pooled here as one grid (--code-hash PREFIX reads one of them)`
      : `only ${shortHash(read)} is read here (--code-hash PREFIX reads another, --code-hash ${ALL_VERSIONS} pools them)`;
  return {
    versions: [...versions],
    code_hash: read,
    filter: read,
    warning: `warning: the finished runs of schedule ${scheduleId} hold ${versions.length} versions of the program: ${listedVersions(versions, read)}; ${how}`,
  };
}
