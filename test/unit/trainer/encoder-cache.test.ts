import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { encoderKey } from '../../../trainer/grouping.ts';
import { parseCellParams, trainCells, type CellParams, type CellResult } from '../../../trainer/index.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// A SimCLR encoder is pre-trained once per worker for what it depends on (the pre-training and its
// SNR), whatever group asks for it: a refine round's new rows, columns and seeds reuse every encoder
// trained before.

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/phasesweep.js', import.meta.url));
const SIMCLR = {
  method: 'simclr',
  n_unlabeled: 40,
  d: 40,
  m: 4,
  pretrain_steps: 60,
  steps: 40,
  n_test: 100,
} as const;

describe('encoderKey', () => {
  const cells = grid({ ...SIMCLR }, { n_labels: [4, 16], snr: [0.5, 1], seed: [0, 1] });
  const byPoint = (c: CellParams) => `${c.n_labels}|${c.snr}|${c.seed}`;

  it('adding an SNR column, a label-count row or a seed leaves every existing key unchanged', () => {
    const grown = grid({ ...SIMCLR }, { n_labels: [4, 16, 64], snr: [0.25, 0.5, 1], seed: [0, 1, 2] });
    const keyOf = new Map(grown.map((c) => [byPoint(c), encoderKey(c)]));
    for (const c of cells) assert.equal(keyOf.get(byPoint(c)), encoderKey(c), byPoint(c));
    // One encoder per (SNR, seed), however many label counts it serves.
    assert.equal(new Set(cells.map(encoderKey)).size, 4);
    assert.equal(new Set(grown.map(encoderKey)).size, 9);
  });

  it('changes with what the encoder depends on, and with nothing else', () => {
    const base = cells[0];
    const key = encoderKey(base);
    const changed = (patch: Record<string, unknown>) => encoderKey(parseCellParams({ ...base, ...patch }));
    for (const patch of [
      { snr: 0.7 },
      { seed: 9 },
      { n_unlabeled: 80 },
      { d: 50 },
      { m: 5 },
      { sigma_p: 2 },
      { pretrain_steps: 61 },
      { pretrain_lr: 0.5 },
      { pretrain_init_norm: 0.01 },
      { tau: 0.2 },
      { augment_keep: 0.5 },
      { projection_head: 'mlp' },
    ]) {
      assert.notEqual(changed(patch), key, JSON.stringify(patch));
    }
    for (const patch of [
      { n_labels: 64 },
      { lr: 0.5 },
      { steps: 10 },
      { q: 1 },
      { n_test: 50 },
      { sigma0: 0.1 },
    ]) {
      assert.equal(changed(patch), key, JSON.stringify(patch));
    }
  });
});

// Fractions of the progress reports below the pre-training share: the pre-training's own reports.
function pretrainingReports(cells: CellParams[]): { reports: number[]; run: Promise<CellResult[]> } {
  const c = cells[0];
  const share =
    (c.pretrain_steps * c.n_unlabeled) / (c.pretrain_steps * c.n_unlabeled + c.steps * c.n_labels);
  const reports: number[] = [];
  const run = trainCells(cells, { backend: 'js', onProgress: (f) => f > 0 && f < share && reports.push(f) });
  return { reports, run };
}

describe('the encoder cache of the trainer', () => {
  it('a new row with its SNRs in another order pre-trains nothing; an added SNR only itself', async () => {
    const first = pretrainingReports(grid({ ...SIMCLR, seed: 5 }, { n_labels: [4], snr: [0.5, 1] }));
    await first.run;
    assert.ok(first.reports.length > 0, 'the first group pre-trains');

    // A refine row: another label count, the same SNRs listed the other way round.
    const row = pretrainingReports(grid({ ...SIMCLR, seed: 5 }, { n_labels: [16], snr: [1, 0.5] }));
    await row.run;
    assert.deepEqual(row.reports, [], 'every encoder of the new row was trained before');

    // A refine column: SNR 0.25 added; its results are those of each cell trained alone, in a
    // fresh process (pre-training a batch of one), so the cached encoders sit where they belong.
    const grown = grid({ ...SIMCLR, seed: 5 }, { n_labels: [8], snr: [0.25, 0.5, 1] });
    const column = pretrainingReports(grown);
    const results = await column.run;
    assert.ok(column.reports.length > 0, 'the new SNR pre-trains');
    for (const [i, cell] of grown.entries()) {
      const { stdout } = await exec(process.execPath, [
        BIN,
        'train-cell',
        '--backend',
        'js',
        '--params',
        JSON.stringify(cell),
      ]);
      const alone = JSON.parse(stdout) as CellResult;
      assert.equal(results[i].test_error, alone.test_error, `SNR ${cell.snr}`);
      assert.equal(results[i].pretrain_alignment, alone.pretrain_alignment, `SNR ${cell.snr}`);
      assert.equal(results[i].signal_alignment, alone.signal_alignment, `SNR ${cell.snr}`);
    }
  });
});
