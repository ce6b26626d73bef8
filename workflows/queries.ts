import { defineQuery } from '@temporalio/workflow';
import type { SweepProgress } from './types.ts';

// Shared by the workflow (handler) and clients (`run --watch`, tests).
export const progressQuery = defineQuery<SweepProgress>('progress');
