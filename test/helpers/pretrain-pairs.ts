import type { PretrainViews } from '../../trainer/augment.ts';
import { signalNorm } from '../../trainer/data.ts';
import type { PretrainPair64 } from './reference64.ts';

/** Explicit patches: the signal patch c * ||mu|| e_1 and the noise patch of each view. */
export function pairsOf(views: PretrainViews, snr: number, indices: number[]): PretrainPair64[] {
  const { d } = views;
  const mu = signalNorm(snr, 1, d);
  const patches = (noise: Float64Array, signal: Float64Array, i: number) => {
    const s = new Float64Array(d);
    s[0] = signal[i] * mu;
    return [s, noise.slice(i * d, (i + 1) * d)];
  };
  return indices.map((i) => ({
    anchor: patches(views.anchorNoise, views.anchorSignal, i),
    view: patches(views.viewNoise, views.viewSignal, i),
  }));
}
