import { stripVTControlCharacters } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

let installed = false;

// The train worker deliberately has no workflows (they run on the control queue); the SDK warns about
// that on every start.
const EXPECTED = /No workflows registered/;

// One line per entry whatever the SDK hands over (multi-line messages, stack traces, nested meta),
// and no colour codes: worker output usually goes to a log file or a pipe.
export function logLine(entry: Pick<LogEntry, 'level' | 'message' | 'meta'>, at = new Date()): string {
  const oneLine = (text: string) =>
    stripVTControlCharacters(text)
      .replace(/\s*\n\s*/g, ' | ')
      .trim();
  const meta =
    entry.meta && Object.keys(entry.meta).length > 0 ? ` ${oneLine(JSON.stringify(entry.meta, plain))}` : '';
  return `${at.toISOString()} [${entry.level}] ${oneLine(entry.message)}${meta}`;
}

// Errors in meta become their message (a stack trace is many lines); bigints their digits.
function plain(_key: string, value: unknown): unknown {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

// The SDK logs every poll and task at INFO; a CLI shows only warnings unless PHASESWEEP_LOG_LEVEL says
// otherwise. Runtime.install may run once per process, before any worker or native connection exists.
export function ensureWorkerRuntime(): void {
  if (installed) return;
  installed = true;
  const level = (process.env.PHASESWEEP_LOG_LEVEL?.toUpperCase() ?? 'WARN') as LogLevel;
  const logger = new DefaultLogger(level, (entry: LogEntry) => {
    if (!EXPECTED.test(entry.message)) process.stderr.write(`${logLine(entry)}\n`);
  });
  Runtime.install({ logger });
}
