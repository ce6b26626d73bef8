import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

let installed = false;

// The train worker deliberately has no workflows (they run on the control queue); the SDK warns about
// that on every start.
const EXPECTED = /No workflows registered/;

// The SDK logs every poll and task at INFO; a CLI shows only warnings unless PHASESWEEP_LOG_LEVEL says
// otherwise. Runtime.install may run once per process, before any worker or native connection exists.
export function ensureWorkerRuntime(): void {
  if (installed) return;
  installed = true;
  const level = (process.env.PHASESWEEP_LOG_LEVEL?.toUpperCase() ?? 'WARN') as LogLevel;
  const print = new DefaultLogger(level);
  const logger = new DefaultLogger(level, (entry: LogEntry) => {
    if (!EXPECTED.test(entry.message)) print.log(entry.level, entry.message, entry.meta);
  });
  Runtime.install({ logger });
}
