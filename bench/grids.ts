// The grids the trainer benchmarks run: paper-spec 6.1's supervised grid and 6.3's SimCLR grid (T_0 = 100
// as in its table) with supervised-from-scratch at n = 16 beside it.
import { METHOD, parseCellParams, type CellParams } from '../trainer/index.ts';

export const SNRS_61 = Array.from({ length: 10 }, (_, i) => 0.1 * 10 ** (i / 9));
export const NS_61 = [4, 8, 16, 32, 64, 128, 256];

/** 6.1: 7 n x 10 SNRs x 2 seeds. */
export function supervisedGrid(): CellParams[] {
  return NS_61.flatMap((n) =>
    [0, 1].flatMap((seed) => SNRS_61.map((snr) => parseCellParams({ n_labels: n, snr, seed }))),
  );
}

export const N0S_63 = [25, 100, 400, 1600];
export const SNRS_63 = [0.05, 0.1, 0.2, 0.4];

/** 6.3: the SimCLR cells (4 n_0 x 4 SNRs x 2 label counts x 2 seeds) and the supervised baseline. */
export function simclrGrid(): { simclr: CellParams[]; supervised: CellParams[] } {
  const simclr = N0S_63.flatMap((n0) =>
    SNRS_63.flatMap((snr) =>
      [4, 16].flatMap((nl) =>
        [0, 1].map((seed) =>
          parseCellParams({
            method: METHOD.simclr,
            n_unlabeled: n0,
            snr,
            n_labels: nl,
            seed,
            pretrain_steps: 100,
          }),
        ),
      ),
    ),
  );
  const supervised = SNRS_63.flatMap((snr) =>
    [0, 1].map((seed) => parseCellParams({ n_labels: 16, snr, seed })),
  );
  return { simclr, supervised };
}
