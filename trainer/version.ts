// Part of every cell key: bump it whenever a change to trainer/ can change any outcome, so that cached
// results of the old trainer are not served for the new one.
export const TRAINER_VERSION = '1';
