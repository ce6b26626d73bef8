import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainCells } from '../../../trainer/index.ts';
import { grid, meanOf } from '../../helpers/trainer-grid.ts';

// Spec 6.5 checks 9-11: SimCLR pre-training aligns with mu once n_0 SNR^2 >= 4 and not when it is
// <= 1/4; 4 labels then suffice where supervised training with 16 fails; no gain at SNR 0.05.
// d = 200 and T_0 = 1000 as calibrated; fine-tuning is shortened to 300 steps (it converges far sooner).
// On the js path (the default on CPU hosts); fused.test.ts ties it to the tfjs program.

const base = { method: 'simclr', d: 200, pretrain_steps: 1000, steps: 300, n_labels: 4 } as const;

test('pre-training alignment: >= 0.8 when n_0 SNR^2 >= 4, 3-seed mean <= 0.35 when <= 1/4 (check 9)', async () => {
  const aligned = [
    ...grid({ ...base, n_unlabeled: 100, snr: 0.2 }, {}),
    ...grid({ ...base, n_unlabeled: 25, snr: 0.4 }, {}),
  ];
  for (const r of await trainCells(aligned, { backend: 'js' })) {
    assert.ok(r.pretrain_alignment! >= 0.8, `alignment ${r.pretrain_alignment}`);
  }
  for (const [n0, snr] of [
    [25, 0.1],
    [100, 0.05],
  ]) {
    const cells = grid({ ...base, n_unlabeled: n0, snr, steps: 1 }, { seed: [0, 1, 2] });
    const results = await trainCells(cells, { backend: 'js' });
    const mean = meanOf(
      cells,
      results,
      () => true,
      (r) => r.pretrain_alignment,
    );
    assert.ok(mean <= 0.35, `n_0=${n0} snr=${snr}: mean alignment ${mean}`);
  }
});

test('SimCLR benefit at SNR 0.2, n_0 = 400: 4 labels give error <= 0.05, supervised with 16 gives >= 0.40 (check 10)', async () => {
  const [simclr] = await trainCells(grid({ ...base, n_unlabeled: 400, snr: 0.2 }, {}), { backend: 'js' });
  assert.ok(simclr.test_error! <= 0.05, `fine-tuned error ${simclr.test_error}`);
  assert.equal(simclr.curve.at(-1)?.step, 300);
  const [supervised] = await trainCells(grid({ n_labels: 16, snr: 0.2 }, {}), { backend: 'js' });
  assert.ok(supervised.test_error! >= 0.4, `supervised error ${supervised.test_error}`);
});

test('no free lunch: SNR 0.05 with n_0 <= 400 gives fine-tuned error >= 0.40 (check 11)', async () => {
  const cells = grid({ ...base, snr: 0.05 }, { n_unlabeled: [25, 400] });
  for (const r of await trainCells(cells, { backend: 'js' })) {
    assert.ok(r.test_error! >= 0.4, `error ${r.test_error}`);
  }
});
