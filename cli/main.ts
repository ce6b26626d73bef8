import { CommanderError } from 'commander';
import { stopQuietlyWhenReaderLeaves } from './closed-pipe.ts';
import { buildProgram } from './program.ts';
import { exitCodeFor, describeError } from './exit.ts';

stopQuietlyWhenReaderLeaves();
// Whatever escapes every handler (a library's timer, a stream) still ends in one line, not a stack trace.
const lastResort = (err: unknown) => {
  console.error(`phasesweep: ${describeError(err)}`);
  process.exit(1);
};
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);
const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  console.error(`phasesweep: ${describeError(err)}`);
  process.exit(exitCodeFor(err));
}
