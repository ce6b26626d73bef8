import { MAX_OUTAGE_MS, type OutageHooks } from '../client/await-sweep.ts';

// What `run --wait` and `watch` print while Temporal does not answer: what they wait for, and when it
// is back. On stderr, so that --json output stays parseable.
export function outageNotice(address: string): OutageHooks {
  return {
    onUnavailable: (reason) =>
      process.stderr.write(
        `waiting for Temporal at ${address} (${reason}); the sweep goes on without this command, retrying for up to ${MAX_OUTAGE_MS / 60_000} min (Ctrl-C stops waiting only)\n`,
      ),
    onResumed: () => process.stderr.write(`Temporal at ${address} answers again: resuming\n`),
  };
}
