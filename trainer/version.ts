// Part of every cell key: bump it whenever a change to trainer/ can change any outcome, so that cached
// results of the old trainer are not served for the new one.
// 2: the default CPU path is the fused TypeScript trainer (backend 'js'): outcomes agree with version 1
// (tfjs-wasm) to float32 tolerance but are not bit-identical, so they are not mixed in one cache.
// 3: tiny GD coefficients are flushed to zero (flush.ts) so that the float32 kernels never meet
// subnormals: test errors, losses and curves are unchanged, while the final filters (hence alignment
// and noise memorisation) can differ in the last float32 bit because fewer terms are summed.
// 4: signal_learning and noise_memorization are gamma and rho of paper-spec 3.1 (no longer divided by
// ||mu||^2 and ||xi_i||^2, gamma signed and over both classes), null for the linear probe; best_test_error
// is chosen on a validation set, not on the test set; new metrics and SimCLR options. Stored version-3
// rows carry the old definitions under the same names, so none of them may be served as a version-4 one.
export const TRAINER_VERSION: string = '4';
