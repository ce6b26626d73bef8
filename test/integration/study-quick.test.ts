import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { GRIDS } from '../../study/design.ts';
import { formatDiverged, formatSummary } from '../../study/format.ts';
import { BEGIN_MARKER, END_MARKER } from '../../study/readme-section.ts';
import { CLAIMS } from '../../study/statements.ts';
import { summarizeGrid } from '../../study/summarize.ts';
import { runPhasesweep, temporalBinary, useTestStack } from '../helpers/stack.ts';

// `npm run study:simclr -- --quick` end to end on the embedded stack: its sweeps run through the CLI,
// and the README section it writes agrees with what `phasesweep results` reads back from the store.

const exec = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../study/main.ts', import.meta.url));
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('study:simclr --quick on the embedded stack', () => {
  // The local stack is found through PHASESWEEP_HOME alone, not through stackEnv's endpoints.
  let env: NodeJS.ProcessEnv;
  const session = useTestStack('study', async ({ stack, dir }) => {
    env = {
      ...process.env,
      PHASESWEEP_HOME: stack.home,
      TEMPORAL_CLI: await temporalBinary(),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      NO_COLOR: '1',
    };
    writeFileSync(
      join(dir, 'README.md'),
      `# r\n\n${BEGIN_MARKER}\nPLACEHOLDER-TABLES\n${END_MARKER}\n\n## after\n`,
    );
  });

  it('runs every grid in both regimes, then writes the section and figures from the stored results', async () => {
    const args = ['--import', 'tsx', MAIN, '--quick', '--readme', join(session.dir, 'README.md')];
    await exec(
      process.execPath,
      [...args, '--figures', join(session.dir, 'docs'), '--specs', join(session.dir, 'specs')],
      {
        env,
        timeout: 1_500_000,
      },
    );
    const readme = readFileSync(join(session.dir, 'README.md'), 'utf8');
    assert.doesNotMatch(readme, /PLACEHOLDER-TABLES/);
    assert.match(readme, /## after\n$/);
    for (const claim of CLAIMS) assert.match(readme, new RegExp(`^\\| ${claim.text} \\|`, 'm'));
    for (const grid of GRIDS) {
      assert.ok(readme.includes(`![study-${grid.name}](docs/study-${grid.name}-quick.png)`), grid.name);
      assert.deepEqual(
        readFileSync(join(session.dir, 'docs', `study-${grid.name}-quick.png`)).subarray(0, 4),
        PNG_MAGIC,
      );
    }

    // The head grid's table rows, recomputed from the stored rows as `phasesweep results` prints them.
    const head = GRIDS.find((g) => g.name === 'head-dot')!;
    const results = await runPhasesweep(['results', 'study-head-dot-spec-quick'], env);
    assert.equal(results.code, 0, results.stderr);
    for (const r of summarizeGrid(head, 'spec', 'quick', JSON.parse(results.stdout))) {
      assert.ok(r.metrics.linear_probe_error.n >= 1, 'every variant has a stored linear-probe error');
      const row = `| projection_head ${String(r.variant.projection_head)} | spec | ${r.snr} | ${r.lr} | ${formatDiverged(r)} | ${formatSummary(r.metrics.probe_alignment)} | ${formatSummary(r.metrics.pretrain_alignment)} | ${formatSummary(r.metrics.linear_probe_error)} | ${formatSummary(r.metrics.test_error)} | ${formatSummary(r.metrics.head_change)} |`;
      assert.ok(readme.includes(row), `missing: ${row}`);
    }
  });

  it('a bad option is one line and exit 2, and nothing runs', async () => {
    const failed = await exec(process.execPath, ['--import', 'tsx', MAIN, '--quik'], { env }).catch(
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal((failed as { code: number }).code, 2);
    assert.match((failed as { stderr: string }).stderr, /^Unknown option '--quik'/);
    assert.doesNotMatch((failed as { stderr: string }).stderr, /^\s+at /m);
  });
});
