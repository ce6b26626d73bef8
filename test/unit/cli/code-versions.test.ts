import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseCodeVersion } from '../../../cli/views/code-versions.ts';

// Which version of a program `show --all-runs` reads, and the line that says so (cli/views/code-versions.ts).
const newer = { code_hash: '9c41d07a3b2e55aa', results: 60, runs: 2 };
const older = { code_hash: '3f2a1b9c0d4e77bb', results: 24, runs: 1 };

describe('the version of a program show --all-runs reads', () => {
  it('one version, or a built-in method (none): nothing to choose, no warning, no filter', () => {
    assert.deepEqual(chooseCodeVersion([newer], undefined, 'nightly'), {
      versions: [newer],
      code_hash: newer.code_hash,
      warning: null,
      filter: null,
    });
    assert.deepEqual(chooseCodeVersion([], undefined, 'nightly'), {
      versions: [],
      code_hash: null,
      warning: null,
      filter: null,
    });
  });

  it('several: the newest by default, a prefix for another, all pooled with `all`, each said in one line', () => {
    const byDefault = chooseCodeVersion([newer, older], undefined, 'nightly');
    assert.equal(byDefault.filter, newer.code_hash);
    assert.equal(
      byDefault.warning,
      'warning: the finished runs of schedule nightly hold 2 versions of the program: 9c41d07a3b2e (60 results, read here), ' +
        '3f2a1b9c0d4e (24 results); only 9c41d07a3b2e is read here (--code-hash PREFIX reads another, --code-hash all pools them)',
    );
    const chosen = chooseCodeVersion([newer, older], '3f2a', 'nightly');
    assert.equal(chosen.filter, older.code_hash);
    assert.match(chosen.warning!, /3f2a1b9c0d4e \(24 results, read here\)/);
    const all = chooseCodeVersion([newer, older], 'all', 'nightly');
    assert.equal(all.filter, null);
    assert.equal(all.code_hash, null);
    assert.match(all.warning!, /; all pooled here as one grid \(--code-hash PREFIX reads one of them\)$/);
  });

  it('a prefix that matches no version, or several, is bad input naming the versions', () => {
    assert.throws(() => chooseCodeVersion([newer, older], 'ff', 'nightly'), {
      badInput: true,
      message:
        '--code-hash ff: no finished run of the schedule has that version of the program; its versions: 9c41d07a3b2e (60 results), 3f2a1b9c0d4e (24 results)',
    });
    const twin = { code_hash: '9c41ffff00000000', results: 1, runs: 1 };
    assert.throws(() => chooseCodeVersion([newer, twin], '9c41', 'nightly'), {
      badInput: true,
      message: /^--code-hash 9c41: matches 2 versions of the program \(.*\); give more of it$/,
    });
    assert.throws(() => chooseCodeVersion([], 'abc', 'nightly'), {
      message: /its versions: none \(a built-in method has no code hash\)$/,
    });
  });
});
