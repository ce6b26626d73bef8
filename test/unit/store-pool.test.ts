import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, describeDatabaseUrl } from '../../store/pool.ts';
import { GRID_STATS_SQL, LIST_SWEEPS_SQL, withParams } from '../../store/queries.ts';

test('describeDatabaseUrl names host, port, database and user, never the password', () => {
  assert.equal(
    describeDatabaseUrl('postgres://alice:s3cret@db.example:6543/lab'),
    'db.example:6543/lab as alice',
  );
  assert.equal(
    describeDatabaseUrl('postgresql://bob:pw@10.0.0.5/phasesweep'),
    '10.0.0.5:5432/phasesweep as bob',
  );
  assert.doesNotMatch(describeDatabaseUrl('postgres://u:p%40ss@h:1/d'), /p%40ss|p@ss/);
});

test('an unparsable DATABASE_URL is bad input and its text is not echoed', () => {
  for (const url of ['not a url', 'mysql://u:hunter2@h/d', '']) {
    assert.throws(
      () => describeDatabaseUrl(url),
      (err: Error & { badInput?: boolean }) =>
        err.badInput === true && /postgres:\/\//.test(err.message) && !err.message.includes('hunter2'),
    );
  }
  assert.throws(() => createPool('mysql://u:hunter2@h/d'), /DATABASE_URL is not a postgres:\/\/ URL/);
});

test('withParams substitutes Grafana expressions for positional parameters', () => {
  const sql = withParams(GRID_STATS_SQL, ["'${sweep}'"]);
  assert.match(sql, /WHERE sweep_id = '\$\{sweep\}'/);
  assert.doesNotMatch(sql, /\$1/);
  assert.match(
    withParams(LIST_SWEEPS_SQL, ['20', "'nightly'"]),
    /'nightly'::text IS NULL OR schedule_id = 'nightly'[\s\S]*LIMIT 20/,
  );
  assert.throws(() => withParams(LIST_SWEEPS_SQL, ['20']), /no expression for \$2/);
});
