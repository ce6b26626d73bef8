// Like `git log | head`: when whoever reads our output goes away (EPIPE), the command has nothing
// left to do, so it stops at once, quietly and with success. Any other failure to write is one line
// on stderr, never an unhandled 'error' event with a stack trace.
export function stopQuietlyWhenReaderLeaves(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      if (stream !== process.stderr)
        process.stderr.write(`phasesweep: cannot write output: ${err.message}\n`);
      process.exit(1);
    });
  }
}
