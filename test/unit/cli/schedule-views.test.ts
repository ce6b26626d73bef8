import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  renderScheduleList,
  renderScheduleReport,
  type ScheduleReport,
} from '../../../cli/views/schedules.ts';

const REPORT: ScheduleReport = {
  schedule_id: 'nightly',
  cron: '0 2 * * *',
  spec_name: 'default',
  spec_file: '/specs/default.yaml',
  paused: false,
  note: null,
  overlap: 'SKIP',
  catchup_window_ms: 6 * 3_600_000,
  actions_taken: 2,
  skipped_overlap: 1,
  missed_catchup: 0,
  running: [],
  next_runs: [new Date('2026-12-07T02:00:00Z')],
  fresh_seeds: 0,
  sweeps: [
    {
      id: 'default-20261206T020000Z-abcdef',
      status: 'completed',
      created_at: new Date('2026-12-06T02:00:00Z'),
      counts: { total: 36, done: 36, cached: 0, failed: 0, pending: 0 },
      drift: {
        sweep_id: 'default-20261206T020000Z-abcdef',
        baseline_sweep_id: 'default-20261205T020000Z-123456',
        baseline_runs: 1,
        compared: 9,
        retrained: 9,
        moved: 1,
        code_hash: null,
        baseline_code_hash: null,
      },
    },
  ],
};

test('schedule describe writes the catch-up window in the duration grammar a user types', () => {
  const text = renderScheduleReport(REPORT);
  assert.match(text, /overlap SKIP {2}catch-up 6h$/m);
  assert.match(text, /^runs {6}2 taken, 1 skipped \(overlap\), 0 missed$/m);
  assert.match(
    text,
    /default-20261206T020000Z-abcdef +completed +36\/36 .* 1\/9 moved vs default-20261205T020000Z-123456/,
  );
  assert.equal(
    renderScheduleReport({ ...REPORT, catchup_window_ms: 86_400_000 }).includes('catch-up 1d'),
    true,
  );
});

test('schedule ls says how to create one when there are none', () => {
  assert.match(renderScheduleList([]), /^no schedules: create one with `phasesweep schedule create/);
  const table = renderScheduleList([
    { schedule_id: 'a', cron: '0 2 * * *', spec_name: 'x', paused: true, next_run: null, last_run: null },
  ]);
  assert.match(table, /^a +x +0 2 \* \* \* +paused +- +-$/m);
});
