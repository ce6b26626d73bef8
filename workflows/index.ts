// The workflow bundle's entry point (Worker `workflowsPath`): only deterministic workflow code.
export { sweepWorkflow } from './sweep-workflow.ts';
export { scheduledSweepWorkflow } from './scheduled-sweep-workflow.ts';
