import { stripVTControlCharacters } from 'node:util';
import {
  DefaultLogger,
  Runtime,
  makeTelemetryFilterString,
  type LogEntry,
  type LogLevel,
  type RuntimeOptions,
} from '@temporalio/worker';

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
// otherwise. The SDK core (native code) would print its own log to stdout, coloured, where it breaks
// `--json` output: it is forwarded to the same logger instead, at the same level.
export function workerRuntimeOptions(level: LogLevel): RuntimeOptions {
  const logger = new DefaultLogger(level, (entry: LogEntry) => {
    if (!EXPECTED.test(entry.message)) process.stderr.write(`${logLine(entry)}\n`);
  });
  return {
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: level, other: level }) },
    },
  };
}

// Runtime.install may run once per process, before any worker or native connection exists.
export function ensureWorkerRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install(workerRuntimeOptions(logLevel(process.env.PHASESWEEP_LOG_LEVEL)));
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[];

// PHASESWEEP_LOG_LEVEL, case-insensitive; WARN when unset.
export function logLevel(setting: string | undefined): LogLevel {
  const level = (setting || 'WARN').toUpperCase();
  const known = LOG_LEVELS.find((l) => l === level);
  if (!known) {
    throw Object.assign(
      new Error(`PHASESWEEP_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${setting}"`),
      { badInput: true },
    );
  }
  return known;
}
