// Part of every cell key: bump it whenever a change to trainer/ can change any outcome, so that cached
// results of the old trainer are not served for the new one.
// 2: the default CPU path is the fused TypeScript trainer (backend 'js'): outcomes agree with version 1
// (tfjs-wasm) to float32 tolerance but are not bit-identical, so they are not mixed in one cache.
// 3: tiny GD coefficients are flushed to zero (flush.ts) so that the float32 kernels never meet
// subnormals: test errors, losses and curves are unchanged, while the final filters (hence alignment
// and noise memorisation) can differ in the last float32 bit because fewer terms are summed.
export const TRAINER_VERSION: string = '3';
