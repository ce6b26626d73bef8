import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseSpecText, SpecError, type ParseSpecOptions, type SweepSpec } from '../sweep/spec.ts';
import { maxCellsSetting } from './max-cells.ts';

// A spec file read and parsed, with the grid limit of this process's environment unless one is given.
// A command spec's cwd is relative to the spec file: it is made absolute here, so that the sweep runs
// the same program whatever folder phasesweep was started in.
export async function loadSpecFile(path: string, opts: ParseSpecOptions = {}): Promise<SweepSpec> {
  const spec = parseSpecText(await readSpecText(path), path, {
    maxCells: opts.maxCells ?? maxCellsSetting(),
  });
  if (spec.command === undefined) return spec;
  return { ...spec, command: { ...spec.command, cwd: resolve(dirname(resolve(path)), spec.command.cwd) } };
}

// A spec file's text; a file that cannot be read is bad input saying why.
export async function readSpecText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder; give the path of a spec file, e.g. examples/default.yaml'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new SpecError(path, [{ path: '(file)', message: `cannot read the spec: ${reason}` }]);
  }
}
