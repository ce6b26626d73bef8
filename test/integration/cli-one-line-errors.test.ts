// The errors a new user hit, each one line (exit 2), and the quiet outputs that now say what they did:
// `ls --schedule` with an unknown schedule, `export --boundaries` of a sweep without `refine:`,
// `export --out` and `plot --out` into folders that do not exist yet (created) or cannot be (a file in
// the way). Real Postgres and Temporal; the sweep's results are written straight to the store.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../../store/pool.ts';
import { loadSpecFile } from '../../infra/spec-file.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { storeSyntheticSweep } from '../helpers/store-fixtures.ts';
import { writeSpec } from '../helpers/sweeps.ts';

describe('one-line errors and what file-writing commands say', () => {
  const SWEEP = 'plain-1';
  const session = useTestStack('one-line', async ({ stack, dir }) => {
    const spec = await loadSpecFile(
      writeSpec(dir, 'plain', {
        method: 'supervised',
        grid: { n_labels: [4, 8], snr: [0.5, 1.0], seed: { range: [0, 2] } },
        fixed: { d: 50, m: 10, q: 3, steps: 300, n_test: 100 },
      }),
    );
    const pool = createPool(stack.endpoints.databaseUrl, { max: 2 });
    try {
      await storeSyntheticSweep(pool, SWEEP, spec, (cell) => ({
        test_error: cell.params.snr === 0.5 ? 0.4 + cell.params.seed * 0.01 : 0.02,
      }));
    } finally {
      await pool.end();
    }
  });
  const cli = (...args: string[]) => runPhasesweep(args, session.env, 90_000);

  it('ls --schedule names an unknown schedule (exit 2); a known one that has not run lists nothing', async () => {
    const ls = await cli('ls', '--schedule', 'nosuch');
    assert.equal(ls.code, 2, ls.stdout + ls.stderr);
    assert.equal(ls.stdout, '');
    assert.equal(ls.stderr.trimEnd().split('\n').length, 1, ls.stderr);
    assert.match(ls.stderr, /--schedule nosuch: unknown schedule/);

    const connection = await Connection.connect({ address: session.stack.endpoints.temporalAddress });
    try {
      const client = new Client({ connection, namespace: session.stack.endpoints.namespace });
      await client.schedule.create({
        scheduleId: 'not-run-yet',
        spec: { intervals: [{ every: '1h' }] },
        action: { type: 'startWorkflow', workflowType: 'noSuchWorkflow', taskQueue: 'nowhere', args: [] },
        state: { paused: true },
      });
    } finally {
      await connection.close();
    }
    const known = await cli('ls', '--schedule', 'not-run-yet');
    assert.equal(known.code, 0, known.stderr);
    assert.match(known.stdout, /no sweeps of schedule not-run-yet yet/);
    const json = await cli('ls', '--schedule', 'not-run-yet', '--json');
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it('export --boundaries of a sweep without refine: prints the header or [] and says why on stderr', async () => {
    const csv = await cli('export', SWEEP, '--boundaries');
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(
      csv.stdout,
      /^sweep_id,axis,metric,threshold,kind,crossing,ci95_low,ci95_high,seeds,.*,cells,traced\n$/,
    );
    assert.match(csv.stderr, /sweep plain-1 has no boundaries: its spec has no `refine:` section/);
    const json = await cli('export', SWEEP, '--boundaries', '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), []);
    assert.match(json.stderr, /no `refine:` section/);
  });

  it('export --out creates the folder and says how many rows it wrote, on stderr', async () => {
    const file = join(session.dir, 'new', 'folder', 'cells.csv');
    const out = await cli('export', SWEEP, '--out', file);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, '');
    assert.equal(out.stderr, `wrote 8 rows to ${file}\n`);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 9);
  });

  it('plot --out creates a missing folder; a file in the way is one line, exit 2', async () => {
    const file = join(session.dir, 'figures', 'deep', 'x.png');
    const plot = await cli('plot', SWEEP, '--out', file);
    assert.equal(plot.code, 0, plot.stderr);
    assert.ok(existsSync(file));
    const blocker = join(session.dir, 'a-file');
    writeFileSync(blocker, '');
    const blocked = await cli('plot', SWEEP, '--out', join(blocker, 'x.png'));
    assert.equal(blocked.code, 2, blocked.stderr);
    assert.equal(blocked.stderr.trimEnd().split('\n').length, 1, blocked.stderr);
    assert.match(
      blocked.stderr,
      /--out \S+a-file\/x\.png: cannot write it: a part of its folder path is a file/,
    );
    assert.doesNotMatch(blocked.stderr, /ENOENT|ENOTDIR|\n\s+at /);
  });
});
