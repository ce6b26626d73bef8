import { isCommandSpec, withCodeHash } from '../sweep/command-sweep.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { CodeHashError, codeHash } from '../workers/command/code-hash.ts';
import { commandRunOf } from '../workers/command/command-run.ts';

// A method: command spec's program, checked before anything starts: its folder exists and its code can
// be hashed (a listed file missing, no git tree: one line, exit 2). Returns the spec with the hash its
// cells would have now; a worker hashes the program again when it registers the sweep.
export async function withProgramHash(spec: SweepSpec, specPath: string): Promise<SweepSpec> {
  if (!isCommandSpec(spec)) return spec;
  const run = await commandRunOf(spec.command!, specPath);
  try {
    return withCodeHash(spec, await codeHash(run.cwd, spec.command!.code));
  } catch (err) {
    if (err instanceof CodeHashError) throw new CodeHashError(`${specPath}: ${err.message}`);
    throw err;
  }
}
