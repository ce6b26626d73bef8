import { mean } from '../sweep/stats.ts';

/** One candidate learning rate of a variant, measured on the selection seeds. */
export interface LrCandidate {
  lr: number;
  linearProbeError: (number | null)[];
  bestTestError: (number | null)[];
}

const complete = (values: (number | null)[]): values is number[] =>
  values.length > 0 && values.every((v) => v !== null);

/**
 * The study's rule: the rate with the lowest mean linear-probe error over the selection seeds (other
 * data than the reported seeds'), ties broken by the mean validation-chosen fine-tuned error, then by
 * the smaller rate. A rate with a diverged or missing selection cell is never chosen while another has
 * none. Null when no rate was measured.
 */
export function selectLr(candidates: LrCandidate[]): number | null {
  const ranked = candidates
    .map((c) => ({
      lr: c.lr,
      complete: complete(c.linearProbeError) && complete(c.bestTestError),
      probe: mean(c.linearProbeError.filter((v) => v !== null)),
      best: mean(c.bestTestError.filter((v) => v !== null)),
    }))
    .filter((c) => !Number.isNaN(c.probe))
    .sort(
      (a, b) =>
        Number(b.complete) - Number(a.complete) ||
        a.probe - b.probe ||
        (Number.isNaN(a.best) ? 1 : 0) - (Number.isNaN(b.best) ? 1 : 0) ||
        a.best - b.best ||
        a.lr - b.lr,
    );
  return ranked[0]?.lr ?? null;
}
