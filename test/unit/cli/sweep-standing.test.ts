import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressLine } from '../../../cli/views/progress-bar.ts';
import { cellsText, stillWaiting } from '../../../cli/views/sweep-standing.ts';
import { countCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import type { LiveProgress } from '../../../cli/live-progress.ts';

// A queued sweep has no registered cells, so the store counts 0/0: ls, show, the progress line and a
// timed-out wait say what is true instead, in one set of words.

const spec = parseSpecText(
  `
name: queued
method: [supervised, simclr]
grid:
  n_labels: [4, 8]
  n_unlabeled: [100, 400]
  snr: { geomspace: [0.1, 1.0, 3] }
  seed: { range: [0, 2] }
`,
  'queued.yaml',
);
const none = { total: 0, done: 0, cached: 0, failed: 0, pending: 0 };

describe('where a sweep stands, in words', () => {
  it('a queued sweep: none of its grid cells done (n_unlabeled is SimCLR only: 12 + 24), nothing counted yet', () => {
    // `run` stores countCells with a queued sweep (sweeps.grid_cells), which Grafana reads too.
    const text = cellsText({ status: 'queued', counts: none, grid_cells: countCells(spec) });
    assert.deepEqual(
      { done: text.done, cached: text.cached, failed: text.failed },
      { done: '0/36', cached: '-', failed: '-' },
    );
    assert.match(text.summary, /^0\/36 done: queued, no worker has picked it up yet/);
  });

  it('a queued sweep cancelled before any worker registered it: 0 of its grid cells, not 0/0', () => {
    const text = cellsText({ status: 'cancelled', counts: none, grid_cells: 36 });
    assert.deepEqual(
      { done: text.done, cached: text.cached, failed: text.failed },
      { done: '0/36', cached: '-', failed: '-' },
    );
    assert.equal(text.summary, '0/36 done: cancelled before a worker registered its 36 grid cells');
    // A worker registering it right now: its cells are on their way, not lost.
    assert.equal(cellsText({ status: 'pending', counts: none, grid_cells: 36 }).done, '0/0');
  });

  it('a sweep queued before its grid size was stored: the size is unknown, not 0', () => {
    const text = cellsText({ status: 'queued', counts: none, grid_cells: null });
    assert.equal(text.done, '0/?');
  });

  it('any other sweep: the stored counts', () => {
    const counts = { total: 36, done: 30, cached: 6, failed: 1, pending: 5 };
    assert.deepEqual(cellsText({ status: 'running', counts, grid_cells: null }), {
      done: '30/36',
      cached: '6',
      failed: '1',
      summary: '30/36 done (6 cached, 1 failed, 5 pending)',
    });
  });

  it('a wait that gave up says queued or running, and names the queues nobody polls', () => {
    assert.equal(
      stillWaiting('s-1', 'queued', ['phasesweep-sweeps', 'train-cpu']),
      'sweep s-1 is still queued: no worker has picked it up yet (no worker polls task queues phasesweep-sweeps, train-cpu)',
    );
    assert.equal(
      stillWaiting('s-1', 'running', ['train-gpu']),
      'sweep s-1 is still running (no worker polls task queue train-gpu)',
    );
    assert.equal(stillWaiting('s-1', 'running', []), 'sweep s-1 is still running');
  });

  it("watch's progress line of a queued sweep says so instead of 0/0", () => {
    const progress: LiveProgress = {
      sweep_id: 's-1',
      status: 'queued',
      ...none,
      running: 0,
      rate: null,
      eta_s: 0,
      runs: 0,
      refine: null,
    };
    assert.equal(progressLine(progress), 's-1 queued: no worker has picked it up yet');
    assert.match(progressLine({ ...progress, status: 'running' }), /^s-1 running: 0\/0 done/);
  });
});
