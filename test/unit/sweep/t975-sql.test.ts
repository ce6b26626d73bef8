// The SQL t975() is written from the TypeScript (sweep/stats.ts), never by hand: the latest migration
// that defines it must hold t975Sql()'s output verbatim. When t975Sql changes, a new migration with its
// output is due (a shipped migration is never edited).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS_DIR } from '../../../store/migrate.ts';
import { t975Sql, T975_TABLE_DF, tQuantile } from '../../../sweep/stats.ts';

test('the latest migration defining t975 is the output of t975Sql()', () => {
  const defining = readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .filter((name) => /FUNCTION t975\(/.test(readFileSync(join(MIGRATIONS_DIR, name), 'utf8')));
  const latest = defining.at(-1)!;
  assert.ok(
    readFileSync(join(MIGRATIONS_DIR, latest), 'utf8').includes(t975Sql()),
    `${latest} is not t975Sql()'s output: add a migration with it`,
  );
});

test("t975Sql's table holds tQuantile's values, each written so that it reads back to the same double", () => {
  const table = /\('\{([^}]*)\}'::double precision\[\]\)/.exec(t975Sql())![1].split(',').map(Number);
  assert.equal(table.length, T975_TABLE_DF);
  table.forEach((value, i) => assert.equal(value, tQuantile(0.975, i + 1), `df=${i + 1}`));
});
