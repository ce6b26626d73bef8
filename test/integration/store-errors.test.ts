import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/local/ports.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { checkDatabase } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';

const BIN = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url));
const SECRET = 'Sup3r-s3cret-pw';
let server: Awaited<ReturnType<typeof startTestPostgres>>;

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('store: bad DATABASE_URL', () => {
  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  test('nothing listening: the error names host and port and hides the password', async () => {
    const port = await freePort();
    const url = `postgres://lab:${SECRET}@127.0.0.1:${port}/phasesweep`;
    await assert.rejects(checkDatabase(url, 2_000), (err: Error) => {
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}/phasesweep as lab`));
      assert.ok(!err.message.includes(SECRET));
      return true;
    });
    await assert.rejects(migrate(url), new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  test('wrong password on a live server: named host and port, password hidden', async () => {
    const live = new URL(server.url);
    live.password = SECRET;
    await assert.rejects(checkDatabase(live.toString()), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`127\\.0\\.0\\.1:${live.port}/phasesweep as postgres: .*password`),
      );
      assert.ok(!err.message.includes(SECRET));
      return true;
    });
  });

  test('`db migrate` exits 1 naming host:port for an unreachable database, 2 for a malformed URL', async () => {
    const port = await freePort();
    const down = cli(['db', 'migrate'], { DATABASE_URL: `postgres://lab:${SECRET}@127.0.0.1:${port}/x` });
    assert.equal(down.status, 1, down.stderr);
    assert.match(down.stderr, new RegExp(`127\\.0\\.0\\.1:${port}/x as lab`));
    assert.ok(!`${down.stdout}${down.stderr}`.includes(SECRET));
    const malformed = cli(['db', 'migrate'], { DATABASE_URL: `mysql://lab:${SECRET}@h/x` });
    assert.equal(malformed.status, 2, malformed.stderr);
    assert.match(malformed.stderr, /DATABASE_URL is not a postgres:\/\/ URL/);
    assert.ok(!malformed.stderr.includes(SECRET));
  });

  test('`db migrate` against a live database migrates, then reports it up to date', async () => {
    const first = cli(['db', 'migrate', '--json'], { DATABASE_URL: server.url });
    assert.equal(first.status, 0, first.stderr);
    const report = JSON.parse(first.stdout) as { applied: string[]; database: string };
    assert.ok(report.applied.includes('001_initial.sql'));
    assert.ok(!first.stdout.includes(new URL(server.url).password));
    const second = cli(['db', 'migrate'], { DATABASE_URL: server.url });
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /schema up to date/);
  });
});
