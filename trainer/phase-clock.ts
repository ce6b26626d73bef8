// Where a training run spends its time, for the trainer benchmark. A lap charges the time since the
// previous lap to one phase, so phases never overlap and add up to the run.

export const PHASES = ['data', 'pretraining', 'training', 'evaluation'] as const;
export type Phase = (typeof PHASES)[number];
/** milliseconds per phase */
export type PhaseTimes = Record<Phase, number>;

export function emptyPhaseTimes(): PhaseTimes {
  return Object.fromEntries(PHASES.map((p) => [p, 0])) as PhaseTimes;
}

export class PhaseClock {
  private last = performance.now();

  constructor(private readonly times: PhaseTimes | undefined) {}

  /** Charges the time since the last lap (or since the clock was made) to `phase`. */
  lap(phase: Phase): void {
    const now = performance.now();
    if (this.times) this.times[phase] += now - this.last;
    this.last = now;
  }
}
