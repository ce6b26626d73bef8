import { CommanderError } from 'commander';
import { stopQuietlyWhenReaderLeaves } from './closed-pipe.ts';
import { buildProgram } from './program.ts';
import { exitCodeFor, describeError } from './exit.ts';

stopQuietlyWhenReaderLeaves();
const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  console.error(`phasesweep: ${describeError(err)}`);
  process.exit(exitCodeFor(err));
}
