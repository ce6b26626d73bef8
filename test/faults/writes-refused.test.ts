// The database refusing writes mid-sweep: the workers connect as the writer role (as deployed), and
// INSERT on results and curves is revoked from it halfway. The refused cells end as recorded failures
// carrying Postgres's error, surfaced by `show`, `verify` and `results`, not swallowed; with the grant
// restored, running the spec again completes the grid. About 40 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseUrl as stackDatabaseUrl } from '../../infra/local/postgres.ts';
import { readState } from '../../infra/local/state.ts';
import { createPool } from '../../store/pool.ts';
import { ensureRoles } from '../../store/roles.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, resultCount, spawnWorker, waitFor, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete, faultStack, pacedSpec, sweepIdOf } from '../helpers/faults.ts';

const TOTAL = 30;
const WRITER_PASSWORD = 'writer-pw-for-the-fault-test';

let writerUrl: string;
const f = faultStack('refused', async () => {
  const pool = createPool(f.stack.endpoints.databaseUrl);
  try {
    await ensureRoles(pool, { readerPassword: 'reader-pw', writerPassword: WRITER_PASSWORD });
  } finally {
    await pool.end();
  }
  const port = readState(f.stack.home).postgres!.port;
  writerUrl = stackDatabaseUrl(port, WRITER_PASSWORD).replace('//postgres:', '//phasesweep_writer:');
});

test(
  'writes refused mid-sweep: recorded failures, surfaced; a re-run after the grant completes',
  { timeout: 240_000 },
  async () => {
    const admin = f.stack.endpoints.databaseUrl;
    const env = { ...f.env, DATABASE_URL: writerUrl };
    const spec = writeSpec(
      f.dir,
      'writes-refused',
      pacedSpec(TOTAL, { resources: { batch_size: 3, max_in_flight: 3 } }),
    );
    const worker = await spawnWorker({ ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '300' }, [
      '--concurrency',
      '3',
    ]);
    try {
      const run = await runPhasesweep(['run', spec, '--json'], env);
      const sweepId = await sweepIdOf(run);
      await waitFor('some results', async () => (await resultCount(admin, sweepId)) >= 6);
      await queryRows(admin, 'REVOKE INSERT ON results, curves FROM phasesweep_writer');
      const atRevoke = await resultCount(admin, sweepId);
      assert.ok(atRevoke < TOTAL, `refused mid-sweep (${atRevoke} of ${TOTAL} stored)`);

      const settled = async () => {
        const show = await runPhasesweep(['show', sweepId, '--json'], env);
        const status = (JSON.parse(show.stdout) as { sweep: { status: string } }).sweep.status;
        return status !== 'running' && status !== 'registering';
      };
      await waitFor('the sweep to end', settled, 120_000);
      const stored = await resultCount(admin, sweepId);

      const show = await runPhasesweep(['show', sweepId], env);
      assert.equal(show.code, 0, show.stderr);
      const failed = TOTAL - stored;
      assert.ok(failed > 0);
      assert.match(show.stdout, new RegExp(`status\\s+completed_with_failures\\s.*${failed} failed`));

      const verify = await runPhasesweep(['verify', sweepId, '--json'], env);
      assert.deepEqual(
        { ...(JSON.parse(verify.stdout) as object), sweep_id: undefined },
        {
          sweep_id: undefined,
          status: 'completed_with_failures',
          counts: { total: TOTAL, done: stored, cached: 0, failed, pending: 0 },
          ok: true,
        },
      );
      const cells = JSON.parse((await runPhasesweep(['results', sweepId], env)).stdout) as {
        status: string;
        failure: string | null;
      }[];
      const refused = cells.filter((c) => c.status === 'failed');
      assert.equal(refused.length, failed);
      for (const c of refused)
        assert.match(String(c.failure), /permission denied for table (results|curves)/);

      await queryRows(admin, 'GRANT INSERT ON results, curves TO phasesweep_writer');
      const rerun = await runPhasesweep(['run', spec, '--wait', '--json'], env, 180_000);
      const rerunId = await sweepIdOf(rerun);
      const report = JSON.parse(rerun.stdout) as { status: string; counts: { cached: number; done: number } };
      assert.deepEqual(
        [report.status, report.counts.cached, report.counts.done],
        ['completed', stored, stored + failed],
      );
      await assertComplete(env, admin, rerunId, TOTAL);
    } finally {
      await worker.stop();
    }
  },
);
