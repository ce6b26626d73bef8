import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftBaseline } from '../../../sweep/drift-baseline.ts';

// What a scheduled run's drift is compared against (sweep/drift-baseline.ts): the schedule's earlier
// runs, newest first, each of one version of the program.
const v1 = '3f2a1b9c0d4e77bb';
const v2 = '9c41d07a3b2e55aa';
const run = (id: string, code_hash: string | null) => ({ id, code_hash, results: 6 });

describe("a nightly drift's baseline", () => {
  it('a built-in method: the previous run, or with fresh seeds every earlier run', () => {
    const earlier = [run('r2', null), run('r1', null)];
    assert.deepEqual(driftBaseline(null, earlier, false), {
      runs: ['r2'],
      code_hash: null,
      baseline_code_hash: null,
    });
    assert.deepEqual(driftBaseline(null, earlier, true)?.runs, ['r2', 'r1']);
    assert.equal(driftBaseline(null, [], true), null);
  });

  it("a program: tonight's version against its own earlier runs only", () => {
    const earlier = [run('r3', v2), run('r2', v1), run('r1', v1)];
    assert.deepEqual(driftBaseline(v2, earlier, true), {
      runs: ['r3'],
      code_hash: v2,
      baseline_code_hash: v2,
    });
    // Back to the older version: its runs, not the newer one's in between.
    assert.deepEqual(driftBaseline(v1, earlier, true), {
      runs: ['r2', 'r1'],
      code_hash: v1,
      baseline_code_hash: v1,
    });
    assert.deepEqual(driftBaseline(v1, earlier, false)?.runs, ['r2']);
  });

  it('a changed program: against the version before it, all its runs with fresh seeds', () => {
    const earlier = [run('r2', v1), run('r1', v1)];
    assert.deepEqual(driftBaseline(v2, earlier, true), {
      runs: ['r2', 'r1'],
      code_hash: v2,
      baseline_code_hash: v1,
    });
    assert.deepEqual(driftBaseline(v2, earlier, false)?.runs, ['r2']);
    // The newest other version is the previous one, however many came before.
    const v0 = '00aa11bb22cc33dd';
    assert.equal(driftBaseline(v2, [run('r3', v1), run('r2', v0)], true)?.baseline_code_hash, v1);
  });

  it('--code-hash picks another version, or `all` pools them; a prefix of none is bad input', () => {
    const earlier = [run('r3', v2), run('r2', v1), run('r1', v1)];
    assert.deepEqual(driftBaseline(v2, earlier, true, '3f2a'), {
      runs: ['r2', 'r1'],
      code_hash: v2,
      baseline_code_hash: v1,
    });
    assert.deepEqual(driftBaseline(v2, earlier, true, 'all'), {
      runs: ['r3', 'r2', 'r1'],
      code_hash: v2,
      baseline_code_hash: null,
    });
    assert.throws(() => driftBaseline(v2, earlier, true, 'ff'), {
      badInput: true,
      message:
        '--code-hash ff: no finished run of the schedule has that version of the program; its versions: 9c41d07a3b2e (6 results), 3f2a1b9c0d4e (12 results)',
    });
  });
});
