import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };

// The README's way to put phasesweep on PATH (`npm install -g .`, here into a private prefix), then the
// command run by name from an unrelated folder.
describe('phasesweep installed on PATH', () => {
  let prefix: string;
  let elsewhere: string;
  let env: NodeJS.ProcessEnv;
  const phasesweep = (...args: string[]) =>
    run('phasesweep', args, { cwd: elsewhere, env, timeout: 60_000 }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  before(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'phasesweep-prefix-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'phasesweep-elsewhere-'));
    await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', repo], {
      timeout: 120_000,
    });
    const bin = process.platform === 'win32' ? prefix : join(prefix, 'bin');
    env = {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH}`,
      PHASESWEEP_HOME: join(elsewhere, 'home'),
    };
  });
  after(() => {
    // Removes the prefix's link to the checkout, not the checkout.
    for (const dir of [prefix, elsewhere]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs by name from another folder', async () => {
    const r = await phasesweep('--version');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
    assert.match((await phasesweep('--help')).stdout, /run \[options\] <spec>/);
  });

  it('reads a spec relative to that folder', async () => {
    writeFileSync(
      join(elsewhere, 'mine.yaml'),
      'name: x\nmethod: supervised\ngrid: { snr: [0.1] }\nfixed: { steps: 1.5 }\n',
    );
    const r = await phasesweep('run', 'mine.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mine\.yaml:4:\d+: fixed\.steps: expected a whole number, got 1\.5/);
  });
});
