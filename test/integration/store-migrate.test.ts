import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestPostgres } from '../helpers/postgres.ts';
import { createDatabase } from '../helpers/databases.ts';
import { migrate, MIGRATIONS_DIR } from '../../store/migrate.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
const dirs: string[] = [];

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'phasesweep-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

async function tables(url: string): Promise<string[]> {
  const rows = await query(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => String(r.table_name));
}

describe('store migrations', () => {
  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('apply every migration to an empty database, then nothing the second time', async () => {
    const url = await createDatabase(server.url, 'fresh');
    const shipped = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    assert.deepEqual((await migrate(url)).applied, shipped);
    const schema = await tables(url);
    for (const t of ['sweeps', 'sweep_cells', 'results', 'failures', 'curves', 'schema_migrations']) {
      assert.ok(schema.includes(t), `table ${t} exists`);
    }
    assert.deepEqual((await migrate(url)).applied, []);
    assert.deepEqual(await tables(url), schema);
  });

  test('a failing migration leaves no trace of itself and can be fixed and re-run', async () => {
    const url = await createDatabase(server.url, 'failing');
    const ok = 'CREATE TABLE first_table (id integer PRIMARY KEY);';
    const dir = migrationsDir({
      '001_ok.sql': ok,
      '002_broken.sql': `CREATE TABLE half_done (id integer);
        CREATE INDEX half_done_idx ON half_done (id);
        ALTER TABLE first_table ADD COLUMN extra text;
        SELECT 1 / 0;`,
    });
    await assert.rejects(
      migrate(url, { dir }),
      /002_broken\.sql failed and was rolled back.*division by zero/,
    );
    assert.deepEqual(await tables(url), ['first_table', 'schema_migrations']);
    const columns = await query(
      url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'first_table'",
    );
    assert.deepEqual(
      columns.map((c) => c.column_name),
      ['id'],
    );
    assert.deepEqual(
      (await query(url, 'SELECT name FROM schema_migrations')).map((r) => r.name),
      ['001_ok.sql'],
    );
    writeFileSync(join(dir, '002_broken.sql'), 'CREATE TABLE half_done (id integer);');
    assert.deepEqual((await migrate(url, { dir })).applied, ['002_broken.sql']);
  });

  test('an applied migration whose file changed is refused', async () => {
    const url = await createDatabase(server.url, 'changed');
    const dir = migrationsDir({ '001_a.sql': 'CREATE TABLE a (id integer);' });
    await migrate(url, { dir });
    writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (id bigint);');
    await assert.rejects(migrate(url, { dir }), /001_a\.sql was changed after it was applied/);
  });

  test('a badly named migration file is refused before anything runs', async () => {
    const url = await createDatabase(server.url, 'badname');
    const dir = migrationsDir({ '001_a.sql': 'CREATE TABLE a (id integer);', 'oops.sql': 'SELECT 1;' });
    await assert.rejects(migrate(url, { dir }), /oops\.sql: name must look like 001_some_name\.sql/);
    assert.deepEqual(await tables(url), []);
  });

  test('six workers migrating at once apply each migration exactly once', async () => {
    const url = await createDatabase(server.url, 'concurrent');
    const runs = await Promise.all(Array.from({ length: 6 }, () => migrate(url)));
    const applied = runs.flatMap((r) => r.applied).sort();
    const shipped = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    assert.deepEqual(applied, shipped);
    const rows = await query(url, 'SELECT count(*)::integer AS n FROM schema_migrations');
    assert.equal(rows[0].n, shipped.length);
  });
});
