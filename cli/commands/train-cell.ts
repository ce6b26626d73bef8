import type { Command } from 'commander';
import { BACKEND_NAMES, type BackendName } from '../../trainer/index.ts';
import { BadInputError } from '../exit.ts';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`--params is not valid JSON: ${(err as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('train-cell')
    .description('train one cell in-process (no Temporal, no database) and print one JSON result line')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep train-cell --params \'{"n_labels": 16, "snr": 0.6, "seed": 0}\'',
    )
    .requiredOption(
      '--params <json>',
      'cell parameters as a JSON object; defaults of paper-spec 6.1/6.3 fill the rest',
    )
    .option(
      '--backend <name>',
      `tfjs backend: ${BACKEND_NAMES.join(' | ')} (default: PHASESWEEP_BACKEND or auto)`,
    )
    .option('--curve', 'include the sampled training curve')
    .action(async (opts: { params: string; backend?: string; curve?: boolean }) => {
      if (opts.backend !== undefined && !BACKEND_NAMES.includes(opts.backend as BackendName)) {
        throw new BadInputError(`--backend '${opts.backend}' is not one of ${BACKEND_NAMES.join(', ')}`);
      }
      const { parseCellParams, trainCell } = await import('../../trainer/index.ts');
      const cell = parseCellParams(parseJson(opts.params));
      const { curve, ...result } = await trainCell(cell, {
        backend: opts.backend as BackendName | undefined,
      });
      console.log(JSON.stringify(opts.curve ? { ...result, curve } : result));
    });
}
