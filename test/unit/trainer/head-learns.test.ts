import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expandCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { parseCellParams, trainCells } from '../../../trainer/index.ts';

// The projection head learns: in the head example, the cell whose head moved least at the default
// head_lr (linear head, inner product, n_0 = 150, SNR 0.05) moves it by at least 10 % (relative
// Frobenius norm); at the encoder's rate, as before head_lr existed, it stays a fixed random projection.

const path = new URL('../../../examples/simclr-head.yaml', import.meta.url).pathname;

test('the head of examples/simclr-head.yaml moves by >= 10 % at the default head_lr, not at the encoder rate', async () => {
  const cell = expandCells(parseSpecText(readFileSync(path, 'utf8'), path)).find(
    ({ params: c }) =>
      c.projection_head === 'linear' &&
      c.similarity === 'dot' &&
      c.n_unlabeled === 150 &&
      c.snr === 0.05 &&
      c.seed === 0,
  )!.params;
  const atEncoderRate = parseCellParams({ ...cell, head_lr: cell.pretrain_lr });
  // fine-tuning does not touch the head
  const quick = { steps: 1, n_test: 10, n_val: 10 };
  const [learned, frozen] = await trainCells(
    [
      { ...cell, ...quick },
      { ...atEncoderRate, ...quick },
    ],
    { backend: 'js' },
  );
  assert.ok(learned.head_change! >= 0.1, `head change ${learned.head_change}`);
  assert.ok(frozen.head_change! < 0.01, `head change at the encoder's rate ${frozen.head_change}`);
});
