import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellInput, CommandRun } from '../../../../workers/command/run-attempt.ts';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/command/', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../../../examples/command/', import.meta.url));

export async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'phasesweep-command-'));
}

export function runOf(script: string, over: Partial<CommandRun> = {}): CommandRun {
  return {
    argv: ['sh', script],
    cwd: FIXTURES,
    env: {},
    metrics: ['loss'],
    timeoutMs: 30_000,
    graceMs: 500,
    ...over,
  };
}

export function cellIn(dir: string, over: Partial<CellInput> = {}): CellInput {
  return { cellKey: 'cell-1', params: {}, seed: 0, attempt: 1, outDir: join(dir, 'out'), ...over };
}
