import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CommandSection } from '../../sweep/command-schema.ts';
import type { CommandRun } from './run-attempt.ts';

export class CommandRunError extends Error {
  readonly badInput = true;
}

// The spec's `command:` section made runnable: cwd is relative to the spec file, so a spec works
// from wherever `phasesweep` is started.
export async function commandRunOf(section: CommandSection, specPath: string): Promise<CommandRun> {
  const cwd = resolve(dirname(resolve(specPath)), section.cwd);
  const folder = await stat(cwd).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new CommandRunError(
      `${specPath}: command.cwd: ${cwd} is not a folder (cwd is relative to the spec file)`,
    );
  return commandRunIn(section, cwd);
}

/** The section made runnable in `cwd` (absolute): durations in ms. */
export function commandRunIn(section: CommandSection, cwd: string): CommandRun {
  return {
    argv: section.argv,
    cwd,
    env: section.env,
    metrics: section.metrics,
    timeoutMs: section.timeout,
    stallTimeoutMs: section.stall_timeout,
    graceMs: section.grace,
  };
}
