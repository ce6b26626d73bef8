// The trainer's metric list, for the layers that reach the trainer only through sweep/ (the store).
export { RESULT_METRICS, type ResultMetric } from '../trainer/index.ts';
