import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../../infra/local/postgres-as-root.ts';
import { runPhasesweep, temporalBinary, type CliRun } from '../helpers/stack.ts';

// As root, a copy of the project in a 0700 folder (as `mktemp -d` makes it, or anything under /root), with
// PHASESWEEP_HOME inside it: the `postgres` user can enter neither, yet `up` must work.
const repo = fileURLToPath(new URL('../../', import.meta.url));
const skip = userInfo().uid !== 0 ? 'needs root' : false;
const folder = mkdtempSync(join(tmpdir(), 'phasesweep-private-'));
const copy = join(folder, 'project');
const home = join(folder, 'state');

after(async () => {
  if (!skip) await cli('down');
  rmSync(dirname(sharedDataDir(home)), { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<CliRun> {
  return runPhasesweep(
    args,
    {
      PHASESWEEP_HOME: home,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      PHASESWEEP_PG_PORT: '',
      PHASESWEEP_PG_PASSWORD: '',
      PHASESWEEP_TEMPORAL_PORT: '',
      PHASESWEEP_TEMPORAL_UI_PORT: '',
      TEMPORAL_CLI: await temporalBinary(),
    },
    180_000,
    join(copy, 'bin', 'phasesweep.js'),
  );
}

test('as root, up, status and down work from a project and home in a 0700 folder', { skip }, async () => {
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  mkdirSync(copy);
  for (const entry of readdirSync(repo)) {
    if (entry === '.git' || entry === '.phasesweep') continue;
    // Hard links: the binaries' real path must be inside the private folder, which a symlink to
    // node_modules would not give.
    const linked = spawnSync('cp', ['-al', join(repo, entry), join(copy, entry)], { encoding: 'utf8' });
    assert.equal(linked.status, 0, linked.stderr);
  }

  const up = await cli('up');
  assert.equal(up.code, 0, up.stderr);
  assert.doesNotMatch(up.stderr, /EACCES|at .*\.ts:\d+/);
  assert.ok(
    `${up.stdout}${up.stderr}`.includes(sharedDataDir(home)),
    'data kept where postgres can reach it',
  );

  const status = await cli('status', '--json');
  assert.equal(status.code, 0, status.stderr);
  const report = JSON.parse(status.stdout) as {
    postgres: { healthy: boolean };
    temporal: { healthy: boolean };
  };
  assert.ok(report.postgres.healthy, status.stdout);
  assert.ok(report.temporal.healthy, status.stdout);

  const down = await cli('down');
  assert.equal(down.code, 0, down.stderr);
  const after = await cli('status', '--json');
  assert.notEqual(after.code, 0);
});
