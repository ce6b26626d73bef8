// The errors of Temporal's client that commands tell apart and word for the user. Only client/ talks to
// Temporal, so the CLI takes these classes from here.
export { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
