// Scenario 3: the history service SIGKILLed mid-sweep and restarted, then matching: each sweep
// completes with verify OK. Then the frontend SIGKILLed while `run --wait` and `watch` are attached:
// both say that Temporal does not answer, resume when it is back and end with the sweep's counts, and
// a fresh workflow start works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPhasesweep, startPhasesweep, type CliChild, type CliRun } from '../helpers/stack.ts';
import { resultCount, waitFor, writeSpec } from '../helpers/sweeps.ts';
import { pacedSpec } from '../helpers/faults.ts';
import type { SweepCounts } from '../../store/sweep-counts.ts';
import { disruptMidSweep, watchToCompletion, useCluster } from './harness/scenario.ts';
import type { Service } from './harness/temporal-services.ts';

const TOTAL = 90;
const DOWN_MS = 10_000;
// Each sweep gets its own SNR (the same cells again would all be cache hits); a completion lost with
// a service is retried after the heartbeat timeout, kept short here.
const SNR: Record<Service, number> = { history: 0.5, matching: 0.6, frontend: 0.7, worker: 0.8 };
const spec = (service: Service, maxInFlight = 3) =>
  pacedSpec(TOTAL, {
    grid: { snr: [SNR[service]], seed: { range: [0, TOTAL] } },
    resources: { batch_size: 2, max_in_flight: maxInFlight, heartbeat_timeout: 10 },
  });

const scenario = useCluster({ workerEnv: { PHASESWEEP_FAULT_BATCH_DELAY_MS: '1000' } });

for (const service of ['history', 'matching'] as const) {
  test(
    `the ${service} service SIGKILLed mid-sweep and restarted: verify OK`,
    { timeout: 300_000 },
    async () => {
      const { cluster } = scenario;
      const file = writeSpec(cluster.dir, `kill-${service}`, spec(service));
      const sweepId = await disruptMidSweep(cluster, file, TOTAL, async () => {
        await cluster.services[service].kill();
        await sleep(DOWN_MS);
        await cluster.services[service].start();
      });
      await watchToCompletion(cluster, sweepId, TOTAL);
    },
  );
}

// What run and watch print (on stderr) when Temporal stops answering, and when it is back.
const OUTAGE = /waiting for Temporal at \S+ \(.+\); the sweep goes on without this command/;
const RESUMED = /Temporal at \S+ answers again: resuming/;

async function ended(cli: CliChild, timeoutMs: number): Promise<CliRun> {
  const code = await cli.exited(timeoutMs);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

test(
  'the frontend SIGKILLed while run --wait and watch wait: both say so, resume and end; a new workflow starts',
  { timeout: 420_000 },
  async () => {
    const { cluster } = scenario;
    // One batch at a time (45 s at least): still running once both commands have started on a loaded
    // machine.
    const file = writeSpec(cluster.dir, 'kill-frontend', spec('frontend', 1));
    const run = startPhasesweep(['run', file, '--wait', '--json'], cluster.env);
    let watch: CliChild | undefined;
    try {
      let sweepId = '';
      await waitFor(
        'run --wait to print its sweep id',
        async () => {
          assert.ok(run.running(), `run --wait ended early:\n${run.stdout()}\n${run.stderr()}`);
          sweepId = /sweep (\S+) \(workflow \S+\) started: waiting/.exec(run.stderr())?.[1] ?? '';
          return sweepId !== '';
        },
        180_000,
      );
      const attached = startPhasesweep(['watch', sweepId, '--json'], cluster.env);
      watch = attached;
      await waitFor('watch to print progress', async () => attached.stdout().includes('"done":'), 180_000);
      await waitFor('some results', async () => (await resultCount(cluster.databaseUrl, sweepId)) >= 6);

      await cluster.services.frontend.kill();
      // Down until both have told the user (the SDK's own retries first absorb about 20 s).
      await waitFor(
        'run and watch to say that Temporal does not answer',
        async () => OUTAGE.test(run.stderr()) && OUTAGE.test(attached.stderr()),
        120_000,
      );
      const atRestart = await resultCount(cluster.databaseUrl, sweepId);
      assert.ok(atRestart < TOTAL, `killed mid-sweep (${atRestart} of ${TOTAL} stored)`);
      await cluster.services.frontend.start();

      const [ran, watched] = await Promise.all([ended(run, 240_000), ended(attached, 240_000)]);
      for (const [name, cli] of [
        ['run --wait', ran],
        ['watch', watched],
      ] as const) {
        assert.equal(cli.code, 0, `${name}:\n${cli.stdout}\n${cli.stderr}`);
        assert.match(cli.stderr, RESUMED, name);
        assert.doesNotMatch(cli.stderr, /\n\s+at /, `${name}: no stack trace`);
        console.log(`# ${name} told the user:\n${cli.stderr.trimEnd().replace(/^/gm, '#   ')}`);
      }
      const verify = await runPhasesweep(['verify', sweepId, '--json'], cluster.env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      const verified = (JSON.parse(verify.stdout) as { counts: SweepCounts }).counts;
      assert.deepEqual(verified, { total: TOTAL, done: TOTAL, cached: 0, failed: 0, pending: 0 });
      const report = JSON.parse(ran.stdout) as { sweep_id: string; status: string; counts: SweepCounts };
      assert.deepEqual(
        { sweep_id: report.sweep_id, status: report.status, counts: report.counts },
        { sweep_id: sweepId, status: 'completed', counts: verified },
        'run --wait ends with the counts of verify',
      );
      const lines = watched.stdout.trim().split('\n');
      const final = JSON.parse(lines.at(-1)!) as { status: string; sweep: { counts: SweepCounts } };
      assert.deepEqual(
        { status: final.status, counts: final.sweep.counts },
        { status: 'completed', counts: verified },
        'watch ends with the counts of verify',
      );

      await cluster.proveWorkflowStart();
    } finally {
      run.kill();
      watch?.kill();
    }
  },
);
