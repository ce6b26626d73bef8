import { readFile } from 'node:fs/promises';
import { parseSpecText, SpecError, type ParseSpecOptions, type SweepSpec } from '../sweep/spec.ts';
import { maxCellsSetting } from './max-cells.ts';

// A spec file read and parsed, with the grid limit of this process's environment unless one is given.
export async function loadSpecFile(path: string, opts: ParseSpecOptions = {}): Promise<SweepSpec> {
  return parseSpecText(await readSpecText(path), path, { maxCells: opts.maxCells ?? maxCellsSetting() });
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
