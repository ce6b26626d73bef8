// Part of every cell key: bump it whenever a change to trainer/ can change any outcome, so that cached
// results of the old trainer are not served for the new one.
// 2: the default CPU path is the fused TypeScript trainer (backend 'js'): outcomes agree with version 1
// (tfjs-wasm) to float32 tolerance but are not bit-identical, so they are not mixed in one cache.
export const TRAINER_VERSION: string = '2';
