import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isSettled } from '../sweep/statuses.ts';

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/phasesweep.js', import.meta.url));
// The whole study's sweeps are far below this; a buffer this size holds every results page of one.
const MAX_OUTPUT = 256 * 1024 * 1024;

/** A cell as `phasesweep results` prints it: parameters, status and stored metrics. */
export type StoredRow = Record<string, unknown>;

async function phasesweep(args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(process.execPath, [BIN, ...args], { maxBuffer: MAX_OUTPUT });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`phasesweep ${args[0]} ${args[1]} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/**
 * The JSON report of `phasesweep run --json`: its last line. The in-process worker may log lines of its
 * own to stdout before it (a full study run once failed on one).
 */
export function runReportOf(stdout: string): { sweep_id?: string; status?: string } {
  const line = stdout
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`phasesweep run printed no report: ${stdout.slice(0, 200)}`);
  return JSON.parse(line) as { sweep_id?: string; status?: string };
}

/** Runs a spec with the CLI (on the embedded stack its in-process worker trains it) and returns the sweep id. */
export async function runSpec(specPath: string): Promise<string> {
  const report = runReportOf(await phasesweep(['run', specPath, '--wait', '--json']));
  if (!isSettled(report.status)) {
    throw new Error(`sweep ${report.sweep_id} of ${specPath} ended ${report.status ?? 'without a status'}`);
  }
  return report.sweep_id!;
}

/** Every cell of a sweep as stored. */
export async function storedRows(sweepId: string): Promise<StoredRow[]> {
  return JSON.parse(await phasesweep(['results', sweepId, '--format', 'json'])) as StoredRow[];
}
