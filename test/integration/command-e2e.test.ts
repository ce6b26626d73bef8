import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordedDrift } from '../../dashboards/queries/nightly.ts';
import { expand } from '../helpers/dashboard-panels.ts';
import { shortHash } from '../../sweep/code-versions.ts';
import { codeHash } from '../../workers/command/code-hash.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { queryRows, spawnWorker, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

// method: command end to end through real sweeps (embedded stack, a real worker process running a real
// program): refinement on one of the program's metrics by name, and a schedule over a program whose
// code changes between runs, with drift comparing the two versions on a metric by name. The program,
// test/fixtures/command/crossing.py, has a known boundary: its error crosses 0.25 at snr = 0.3 * width.

const PROGRAM = fileURLToPath(new URL('../fixtures/command/crossing.py', import.meta.url));
// Where crossing.py's noise-free error crosses 0.25.
const x0 = (width: number) => 0.3 * width;

interface Report {
  sweep_id: string;
  status: string;
  counts: { total: number; done: number; cached: number; failed: number; pending: number };
}

interface Boundary {
  // the group's coordinates, here the program's parameter `width`
  width: number;
  axis: string;
  metric: string;
  kind: string;
  crossing: number | null;
  ci95: [number, number] | null;
  seeds: number;
  grid_bracket: [number, number] | null;
  rounds: number;
}

describe('method: command end to end: refinement, schedules and drift over its metrics', () => {
  let worker: WorkerProcess | undefined;
  const session = useTestStack('command-e2e', async ({ env, dir }) => {
    worker = await spawnWorker(env, ['--concurrency', '2']);
    copyFileSync(PROGRAM, join(dir, 'crossing.py'));
  });
  session.onStop(() => worker?.stop());
  const cli = (...args: string[]) => runPhasesweep(args, session.env, 300_000);
  const db = <T extends Record<string, unknown>>(sql: string, args: unknown[] = []) =>
    queryRows<T>(session.stack.endpoints.databaseUrl, sql, args);
  const command = {
    argv: ['python3', 'crossing.py'],
    metrics: ['err', 'loss'],
    code: ['crossing.py'],
    timeout: '1m',
    grace: '2s',
  };

  it('refine: on a program metric by name bisects to the known crossings, with seed intervals', async () => {
    const spec = writeSpec(session.dir, 'crossing-refined', {
      method: 'command',
      command,
      grid: { width: [1, 2], snr: { geomspace: [0.1, 3, 5] }, seed: { range: [0, 2] } },
      refine: { axis: 'snr', metric: 'err', threshold: 0.25, resolution: 0.05, max_rounds: 6 },
    });
    const r = await cli('run', spec, '--wait', '--json', '--timeout', '240s');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Report;
    assert.equal(report.status, 'completed', JSON.stringify(report));
    // 2 widths x 5 SNRs x 2 seeds, then 3 rounds halving each bracket (log10 width 0.37 -> 0.046) of
    // 2 widths x 2 seeds.
    assert.deepEqual(report.counts, { total: 32, done: 32, cached: 0, failed: 0, pending: 0 });

    const shown = await cli('show', report.sweep_id, '--json');
    assert.equal(shown.code, 0, shown.stderr);
    const boundaries = (JSON.parse(shown.stdout) as { boundaries: Boundary[] }).boundaries;
    // `boundaries` computes them again from the stored results: the same crossings and intervals.
    const recomputed = await cli('boundaries', report.sweep_id, '--json');
    assert.equal(recomputed.code, 0, recomputed.stderr);
    assert.deepEqual((JSON.parse(recomputed.stdout) as { boundaries: Boundary[] }).boundaries, boundaries);
    const text = await cli('show', report.sweep_id);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /boundaries: where the seed-mean err crosses 0\.25 along snr/);
    for (const width of [1, 2])
      assert.match(
        text.stdout,
        new RegExp(`width=${width} method=command +[0-9.]+ \\(95% CI [0-9.]+ to [0-9.]+, 2 seeds\\)`),
      );
    assert.deepEqual(
      boundaries.map((b) => [b.width, b.axis, b.metric, b.kind]),
      [
        [1, 'snr', 'err', 'crossing'],
        [2, 'snr', 'err', 'crossing'],
      ],
    );
    for (const b of boundaries) {
      const width = b.width;
      const [low, high] = b.grid_bracket!;
      assert.ok(Math.log10(high / low) <= 0.05, `width ${width}: bracket [${low}, ${high}]`);
      assert.ok(low <= b.crossing! && b.crossing! <= high, `width ${width}: ${b.crossing}`);
      // The seeds' noise is at most 0.02 in error, 4% in snr at the crossing.
      assert.ok(Math.abs(b.crossing! / x0(width) - 1) < 0.1, `width ${width}: crossing ${b.crossing}`);
      assert.equal(b.seeds, 2);
      assert.ok(b.ci95![0] <= b.crossing! && b.crossing! <= b.ci95![1], `width ${width}: ci95 ${b.ci95}`);
      assert.equal(b.rounds, 3);
    }
  });

  it('a schedule retrains every cell when the code changed, drift compares the two versions by name, and an unchanged program retrains nothing', async () => {
    const spec = writeSpec(session.dir, 'crossing-nightly', {
      method: 'command',
      command,
      grid: { width: [1, 2], snr: [0.25, 0.35, 0.5], seed: { range: [0, 3] } },
    });
    assert.equal((await cli('schedule', 'create', 'crossing-nightly', spec, '--cron', '0 2 * * *')).code, 0);
    const trigger = async () => {
      const r = await cli('schedule', 'trigger', 'crossing-nightly', '--wait', '--timeout', '240s');
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const runs = await db<{ id: string; status: string; counts: Report['counts'] }>(
        `SELECT s.id, s.status, to_jsonb(c) AS counts FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c
         WHERE s.schedule_id = 'crossing-nightly' ORDER BY s.created_at`,
      );
      const run = runs.at(-1)!;
      assert.equal(run.status, 'completed', JSON.stringify(run));
      return run;
    };
    const hashOf = async (sweepId: string) =>
      (
        await db<{ code_hash: string }>(
          `SELECT DISTINCT r.code_hash FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1`,
          [sweepId],
        )
      ).map((r) => r.code_hash);
    const stored = (sweepId: string) =>
      db<{ compared: number; retrained: number; moved: number }>(
        'SELECT compared, retrained, moved FROM sweep_drift WHERE sweep_id = $1',
        [sweepId],
      );

    const first = await trigger();
    assert.deepEqual(first.counts, { total: 18, done: 18, cached: 0, failed: 0, pending: 0 });
    const v1 = await codeHash(session.dir, ['crossing.py']);
    assert.deepEqual(await hashOf(first.id), [v1]);

    // A second version of the program: every error 0.10-0.12 higher.
    const file = join(session.dir, 'crossing.py');
    writeFileSync(file, readFileSync(file, 'utf8').replace('SHIFT = 0.0', 'SHIFT = 0.1'));
    const v2 = await codeHash(session.dir, ['crossing.py']);
    assert.notEqual(v2, v1);
    const second = await trigger();
    assert.deepEqual(second.counts, { total: 18, done: 18, cached: 0, failed: 0, pending: 0 });
    assert.deepEqual(await hashOf(second.id), [v2]);

    // The nightly drift matches the two versions' grid points on the program's parameters (not on its
    // code hash, which its cells also hold): all 6 compared, retrained, and moved, on the same seeds.
    const [nightly] = await stored(second.id);
    assert.deepEqual([nightly.compared, nightly.retrained, nightly.moved], [6, 6, 6]);
    const drift = await cli('drift', first.id, second.id, '--metric', 'loss', '--json');
    assert.equal(drift.code, 0, drift.stderr);
    const report = JSON.parse(drift.stdout) as {
      compared: number;
      retrained: number;
      paired: number;
      code_hashes: { a: string[]; b: string[] };
      moved: { params: Record<string, unknown>; delta: number; seeds_after: number }[];
    };
    assert.deepEqual([report.compared, report.retrained, report.paired], [6, 6, 6]);
    assert.deepEqual(report.code_hashes, { a: [v1], b: [v2] });
    assert.equal(report.moved.length, 6);
    for (const m of report.moved) {
      assert.deepEqual(Object.keys(m.params).sort(), ['method', 'snr', 'width']);
      // loss is twice err: 0.2-0.24 higher
      assert.ok(m.delta > 0.19 && m.delta < 0.25, `${JSON.stringify(m.params)}: delta ${m.delta}`);
      assert.equal(m.seeds_after, 3);
    }
    const text = await cli('drift', first.id, second.id, '--metric', 'loss');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^metric: loss$/m);
    assert.ok(text.stdout.includes(`code changed: ${v1} → ${v2}`), text.stdout);
    assert.match(text.stdout, /6 of 6 grid points moved/);
    const shown = await cli('show', second.id);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /drift against the previous run of schedule crossing-nightly:/);
    assert.match(shown.stdout, /6 of 6 grid points moved/);
    const shownJson = JSON.parse((await cli('show', second.id, '--json')).stdout) as {
      drift: { compared: number } | null;
    };
    assert.equal(shownJson.drift?.compared, 6);

    // The program unchanged: every cell a cache hit, nothing retrained, nothing to test.
    const third = await trigger();
    assert.deepEqual(third.counts, { total: 18, done: 18, cached: 18, failed: 0, pending: 0 });
    const [quiet] = await stored(third.id);
    assert.deepEqual([quiet.compared, quiet.retrained, quiet.moved], [6, 0, 0]);
    const unchanged = await cli('drift', second.id, third.id);
    assert.equal(unchanged.code, 0, unchanged.stderr);
    assert.ok(unchanged.stdout.includes(`code unchanged: ${v2} → ${v2}`), unchanged.stdout);
    assert.match(unchanged.stdout, /nothing retrained: every cell is a cache hit \(6 grid points/);
    assert.equal((await cli('schedule', 'delete', 'crossing-nightly')).code, 0);
  });

  it('with fresh seeds, drift tests tonight against earlier runs of its own version, and after a change against the previous version, naming both', async () => {
    // A copy of the program under a name of its own, so that this test runs alone too.
    const file = join(session.dir, 'crossing-fresh.py');
    copyFileSync(PROGRAM, file);
    const spec = writeSpec(session.dir, 'crossing-fresh', {
      method: 'command',
      command: { ...command, argv: ['python3', 'crossing-fresh.py'], code: ['crossing-fresh.py'] },
      grid: { width: [1], snr: [0.25, 0.5], seed: { range: [0, 3] } },
    });
    const created = await cli('schedule', 'create', 'crossing-fresh', spec, '--fresh-seeds', '3');
    assert.equal(created.code, 0, created.stderr);
    const trigger = async () => {
      const r = await cli('schedule', 'trigger', 'crossing-fresh', '--wait', '--timeout', '240s');
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const [run] = await db<{ id: string; status: string }>(
        `SELECT id, status FROM sweeps WHERE schedule_id = 'crossing-fresh' ORDER BY created_at DESC LIMIT 1`,
      );
      assert.equal(run.status, 'completed', JSON.stringify(run));
      return { id: run.id, stdout: r.stdout };
    };
    const recorded = async (sweepId: string) =>
      (
        await db<{ baseline_sweep_id: string; baseline_runs: number; retrained: number; moved: number }>(
          'SELECT baseline_sweep_id, baseline_runs, retrained, moved FROM sweep_drift WHERE sweep_id = $1',
          [sweepId],
        )
      )[0];

    const v1 = await codeHash(session.dir, ['crossing-fresh.py']);
    const first = await trigger();
    const second = await trigger();
    // Same version: tonight's 3 fresh seeds against the first run's 3, by Welch; nothing moved.
    assert.deepEqual(await recorded(second.id), {
      baseline_sweep_id: first.id,
      baseline_runs: 1,
      retrained: 2,
      moved: 0,
    });
    assert.ok(
      second.stdout.includes(`program ${shortHash(v1)}: against earlier runs of the same version`),
      second.stdout,
    );

    // A second version: every err 0.10-0.12 higher. Tested against both runs of the version before it.
    writeFileSync(file, readFileSync(file, 'utf8').replace('SHIFT = 0.0', 'SHIFT = 0.1'));
    const v2 = await codeHash(session.dir, ['crossing-fresh.py']);
    const third = await trigger();
    assert.deepEqual(await recorded(third.id), {
      baseline_sweep_id: second.id,
      baseline_runs: 2,
      retrained: 2,
      moved: 2,
    });
    const changed = `program changed ${shortHash(v1)} → ${shortHash(v2)}: the two versions compared`;
    assert.ok(third.stdout.includes(changed), third.stdout);
    const shown = await cli('show', third.id);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /drift against all 2 earlier runs of schedule crossing-fresh:/);
    assert.ok(shown.stdout.includes(`2 of 2 grid points moved (2 earlier runs → ${third.id}); ${changed}`));

    // The new version again: against its own earlier run only, not the older version's runs pooled
    // with it (which would read the change of the program as drift).
    const fourth = await trigger();
    assert.deepEqual(await recorded(fourth.id), {
      baseline_sweep_id: third.id,
      baseline_runs: 1,
      retrained: 2,
      moved: 0,
    });
    assert.ok(
      fourth.stdout.includes(
        `0 of 2 grid points moved (${third.id} → ${fourth.id}); program ${shortHash(v2)}: against earlier runs of the same version`,
      ),
      fourth.stdout,
    );

    // `drift <sweep>` computes the recorded drift again, against the same baseline.
    interface ScheduledReport {
      baseline_sweeps: string[];
      code_hash: string | null;
      baseline_code_hash: string | null;
      metric: string;
      retrained: number;
      tested: number;
      paired: number;
      moved: unknown[];
    }
    const again = async (...args: string[]) => {
      const r = await cli('drift', ...args, '--json');
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as ScheduledReport;
      return [
        j.baseline_sweeps,
        j.code_hash,
        j.baseline_code_hash,
        j.metric,
        j.retrained,
        j.tested,
        j.paired,
        j.moved.length,
      ];
    };
    assert.deepEqual(await again(fourth.id), [[third.id], v2, v2, 'err', 2, 2, 0, 0]);
    assert.deepEqual(await again(third.id), [[second.id, first.id], v2, v1, 'err', 2, 2, 0, 2]);
    // --code-hash reads the baseline from another version, or pools them all, as show --all-runs does.
    assert.deepEqual(await again(fourth.id, '--code-hash', v1.slice(0, 6)), [
      [second.id, first.id],
      v2,
      v1,
      'err',
      2,
      2,
      0,
      2,
    ]);
    assert.deepEqual((await again(fourth.id, '--code-hash', 'all')).slice(0, 3), [
      [third.id, second.id, first.id],
      v2,
      null,
    ]);
    const text = await cli('drift', third.id);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(
      text.stdout.includes(`drift against all 2 earlier runs of schedule crossing-fresh; ${changed}:`),
      text.stdout,
    );
    assert.match(text.stdout, /2 of 2 grid points moved/);
    const unknown = await cli('drift', fourth.id, '--code-hash', 'ffff');
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^phasesweep: --code-hash ffff: no finished run of the schedule has that version of the program; its versions: /,
    );
    // The nightly dashboard's table of drift records names the same versions.
    const panel = await db<{
      sweep_id: string;
      baseline_runs: number;
      moved: number;
      baseline_program: string;
      program: string;
    }>(expand(recordedDrift.sql, { schedule: 'crossing-fresh', runs: '5' }));
    assert.deepEqual(
      panel.map((r) => [r.sweep_id, r.baseline_runs, r.moved, r.baseline_program, r.program]),
      [
        [fourth.id, 1, 0, shortHash(v2), shortHash(v2)],
        [third.id, 2, 2, shortHash(v1), shortHash(v2)],
        [second.id, 1, 0, shortHash(v1), shortHash(v1)],
      ],
    );
    const described = await cli('schedule', 'describe', 'crossing-fresh');
    assert.equal(described.code, 0, described.stderr);
    assert.ok(described.stdout.includes(`2/2 moved vs 2 earlier runs (${changed})`), described.stdout);
    assert.equal((await cli('schedule', 'delete', 'crossing-fresh')).code, 0);
  });
});
