import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../../sweep/canonical-json.ts';
import { formatDuration } from '../../sweep/duration.ts';
import { runAttempt, type AttemptReport, type CommandRun } from './run-attempt.ts';

export interface Check {
  name: string;
  verdict: 'ok' | 'fail' | 'skip';
  detail: string;
  /** what to change in the program, when it failed */
  fix?: string;
}

export interface CheckCell {
  params: Record<string, unknown>;
  seed: number;
}

export interface CheckReport {
  checks: Check[];
  /** the first run's log tail, for a failed run */
  logTail: string;
  logPath: string;
}

const RESULT_LINE = '@@phasesweep {"type": "result", "metrics": {...}}';

// `phasesweep command check`: runs one cell twice, then a third time to send it a SIGTERM, and says,
// check by check, whether the program keeps the protocol and what to change where it does not.
export async function checkProgram(run: CommandRun, cell: CheckCell, dir: string): Promise<CheckReport> {
  const cellKey = `check-${sha256Hex(canonicalJson(cell)).slice(0, 16)}`;
  const attempt = (n: number, extra: Parameters<typeof runAttempt>[2] = { attemptDir: '' }) =>
    runAttempt(
      run,
      { cellKey, ...cell, attempt: 1, outDir: join(dir, `run-${n}`, 'out') },
      {
        ...extra,
        attemptDir: join(dir, `run-${n}`),
      },
    );
  const first = await attempt(1);
  const checks: Check[] = [exitsCleanly(first), readsStdin(first), writesResult(first, run.metrics)];
  if (first.outcome.kind === 'done') {
    const second = await attempt(2);
    checks.push(deterministic(first, second, cell.seed));
    checks.push(await endsOnSigterm(run, first, (extra) => attempt(3, extra)));
  }
  return { checks, logTail: first.logTail, logPath: first.logPath };
}

function exitsCleanly(report: AttemptReport): Check {
  const { kind, message } = report.outcome;
  const name = 'starts and exits 0';
  if (kind === 'done' || kind === 'protocol_failure')
    return { name, verdict: 'ok', detail: `in ${formatDuration(Math.max(1, report.durationMs))}` };
  const fix =
    kind === 'timed_out'
      ? 'make it finish within command.timeout, or raise the timeout'
      : kind === 'stalled'
        ? 'write a progress event more often than command.stall_timeout'
        : 'see the log tail below; exit 0 after writing the result (75 asks for a retry, 64/65 mean bad input)';
  return { name, verdict: 'fail', detail: message, fix };
}

function readsStdin(report: AttemptReport): Check {
  const name = 'reads its input (one JSON line) from stdin';
  if (report.stdinRead) return { name, verdict: 'ok', detail: '' };
  return {
    name,
    verdict: 'fail',
    detail: 'stdin was left unread',
    fix: 'read the JSON line on stdin (json.loads(sys.stdin.readline())): params, seed and out_dir are there; persistent mode sends every cell that way',
  };
}

function writesResult(report: AttemptReport, metrics: readonly string[]): Check {
  const name = `writes one result with ${metrics.join(', ')}`;
  const { kind, message, metrics: got } = report.outcome;
  if (kind === 'done') {
    const shown = metrics.map((m) => `${m}=${got?.[m]}`).join(' ');
    return { name, verdict: 'ok', detail: shown };
  }
  if (kind !== 'protocol_failure') return { name, verdict: 'skip', detail: 'the program did not exit 0' };
  return {
    name,
    verdict: 'fail',
    detail: message,
    fix: `append one line {"type": "result", "metrics": {...}} to the file $PHASESWEEP_EVENTS names, or print ${RESULT_LINE}, with every metric the spec lists`,
  };
}

function deterministic(a: AttemptReport, b: AttemptReport, seed: number): Check {
  const name = `bitwise deterministic for seed ${seed}`;
  const differing = Object.keys(a.outcome.metrics ?? {}).filter(
    (m) => !Object.is(a.outcome.metrics?.[m], b.outcome.metrics?.[m]),
  );
  if (b.outcome.kind === 'done' && differing.length === 0)
    return { name, verdict: 'ok', detail: 'two runs gave the same metrics' };
  return {
    name,
    verdict: 'fail',
    detail:
      b.outcome.kind !== 'done'
        ? `the second run: ${b.outcome.message}`
        : differing.map((m) => `${m}: ${a.outcome.metrics?.[m]} then ${b.outcome.metrics?.[m]}`).join('; '),
    fix: 'seed every random generator from the input seed (numpy, random, torch; torch.use_deterministic_algorithms(True) on GPUs); cached results assume one seed gives one result',
  };
}

// SIGTERM at the first progress event, or halfway through the first run's time if none comes.
async function endsOnSigterm(
  run: CommandRun,
  first: AttemptReport,
  attempt: (extra: Parameters<typeof runAttempt>[2]) => Promise<AttemptReport>,
): Promise<Check> {
  const name = `ends within grace (${formatDuration(run.graceMs)}) of a SIGTERM`;
  const abort = new AbortController();
  const halfway = setTimeout(() => abort.abort(), Math.max(1, first.durationMs / 2));
  const report = await attempt({ attemptDir: '', signal: abort.signal, onProgress: () => abort.abort() });
  clearTimeout(halfway);
  if (report.outcome.kind !== 'cancelled' || report.stoppedBy === undefined)
    return {
      name,
      verdict: 'skip',
      detail: `it finished in ${formatDuration(Math.max(1, report.durationMs))}, before a SIGTERM could reach it`,
    };
  if (report.stoppedBy === 'term') return { name, verdict: 'ok', detail: '' };
  return {
    name,
    verdict: 'fail',
    detail: 'its process group was still alive after the grace and needed SIGKILL',
    fix: 'on SIGTERM, stop within command.grace (save a checkpoint if you like) and make child processes exit too; do not ignore the signal',
  };
}
