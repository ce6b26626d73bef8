import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryOnPortClash } from '../../../infra/local/ports.ts';

// The servers' own messages when the chosen port was taken between choosing and binding.
const CLASH = {
  temporal:
    'the Temporal dev server exited during start-up; listen tcp 127.0.0.1:7233: bind: address already in use',
  postgres:
    'Postgres exited during start-up; could not bind IPv4 address "127.0.0.1": Address already in use',
};

function starter(failures: string[]) {
  const calls: boolean[] = [];
  const start = async (fresh: boolean) => {
    calls.push(fresh);
    const failure = failures[calls.length - 1];
    if (failure) throw new Error(failure);
    return calls.length;
  };
  return { calls, start };
}

describe('retryOnPortClash', () => {
  it('starts again on fresh ports after a bind clash, from either server', async () => {
    const { calls, start } = starter([CLASH.temporal, CLASH.postgres]);
    assert.equal(await retryOnPortClash(false, start), 3);
    assert.deepEqual(calls, [false, true, true]);
  });

  it('gives up after three clashes with the last error', async () => {
    const { calls, start } = starter([CLASH.temporal, CLASH.temporal, CLASH.postgres, CLASH.temporal]);
    await assert.rejects(retryOnPortClash(false, start), /Address already in use/);
    assert.equal(calls.length, 3);
  });

  it('reports a clash on a port the user pinned, and any other failure, at once', async () => {
    for (const [pinnedPort, failure] of [
      [true, CLASH.temporal],
      [false, 'the Temporal dev server did not answer within 90 s'],
    ] as const) {
      const { calls, start } = starter([failure]);
      await assert.rejects(retryOnPortClash(pinnedPort, start), new RegExp(failure.slice(0, 20)));
      assert.equal(calls.length, 1);
    }
  });
});
