import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainCells, type CellParams, type CellResult } from '../../../trainer/index.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// The fused TypeScript path ('js', the default on CPU hosts) against the tfjs program on wasm (the
// reference): same outcomes to float32 tolerance, on both sides of the boundary, with q = 1 and label
// noise, and for a diverging cell.

function assertAgree(js: CellResult, ref: CellResult, where: string): void {
  assert.equal(js.backend, 'js', where);
  assert.equal(js.diverged, ref.diverged, where);
  if (ref.diverged) {
    assert.equal(js.test_error, null, where);
    return;
  }
  assert.ok(
    Math.abs(js.test_error! - ref.test_error!) <= 0.01,
    `${where}: ${js.test_error} vs ${ref.test_error}`,
  );
  assert.ok(Math.abs(js.signal_alignment! - ref.signal_alignment!) < 1e-3, where);
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);
  assert.ok(rel(js.noise_memorization!, ref.noise_memorization!) < 1e-3, where);
  // gamma to 1e-3 of the larger decomposition term (a harmful cell's gamma is near 0)
  const scale = Math.max(Math.abs(ref.signal_learning!), ref.noise_memorization!);
  assert.ok(Math.abs(js.signal_learning! - ref.signal_learning!) < 1e-3 * scale, where);
  // the iterate chosen on the validation set, and its test error
  assert.ok(Math.abs(js.best_test_error! - ref.best_test_error!) <= 0.01, where);
  // A training loss of 1e-20 is float32 rounding of ~0: compare on a log scale only where it is not.
  if (ref.train_loss! > 1e-12) {
    assert.ok(Math.abs(Math.log(js.train_loss! / ref.train_loss!)) < 0.05, `${where}: ${js.train_loss}`);
  }
  assert.deepEqual(
    js.curve.map((p) => p.step),
    ref.curve.map((p) => p.step),
  );
  js.curve.forEach((p, i) => assert.ok(Math.abs(p.test_error - ref.curve[i].test_error) <= 0.01, where));
}

const cells = [
  ...grid({ steps: 400, n_test: 500 }, { n_labels: [8, 64], snr: [0.1, 0.36, 0.46, 1.0] }),
  ...grid({ q: 1, p: 0.1, steps: 400, n_test: 500 }, { n_labels: [16], snr: [0.3, 0.5] }),
  // a diverging cell next to a calm one in the same batch
  ...grid({ q: 3, p: 0.1, n_labels: 64 }, { snr: [0.3, 0.5] }),
];

test('the fused path agrees with the tfjs program cell by cell (incl. q = 1, label noise, divergence)', async () => {
  const js = await trainCells(cells, { backend: 'js' });
  const ref = await trainCells(cells, { backend: 'wasm' });
  assert.ok(ref.some((r) => r.diverged) && ref.some((r) => !r.diverged));
  cells.forEach((c, i) => assertAgree(js[i], ref[i], `n=${c.n_labels} snr=${c.snr} q=${c.q} p=${c.p}`));
});

test('when n > 2d the js backend falls back to tfjs and says so', async () => {
  const [r] = await trainCells(grid({ d: 20, n_labels: 50, snr: 1, steps: 50, n_test: 100 }, {}), {
    backend: 'js',
  });
  assert.equal(r.backend, 'wasm');
  assert.equal(r.diverged, false);
});

function assertSameAlignment(js: CellResult[], ref: CellResult[], cells: CellParams[]): void {
  cells.forEach((c, i) => {
    const where = `n_0=${c.n_unlabeled} snr=${c.snr} init norm ${c.pretrain_init_norm}`;
    assert.equal(js[i].backend, 'js');
    assert.ok(Math.abs(js[i].pretrain_alignment! - ref[i].pretrain_alignment!) < 1e-3, where);
    assert.ok(Math.abs(js[i].test_error! - ref[i].test_error!) <= 0.01, where);
  });
}

test('fused SimCLR pre-training (moment expansion) agrees with the tfjs program', async () => {
  const cells = grid(
    { method: 'simclr', pretrain_steps: 100, steps: 200, n_test: 500 },
    { n_unlabeled: [100, 400], snr: [0.05, 0.1, 0.2], n_labels: [4, 16] },
  );
  const js = await trainCells(cells, { backend: 'js' });
  assertSameAlignment(js, await trainCells(cells, { backend: 'wasm' }), cells);
  // n_labels 4 and 16 pre-train once: the shared filters give identical alignments
  cells.forEach((c, i) => {
    const twin = cells.findIndex((o) => o.n_unlabeled === c.n_unlabeled && o.snr === c.snr);
    assert.equal(js[i].pretrain_alignment, js[twin].pretrain_alignment);
  });
});

test('fused SimCLR with large embeddings takes the exact softmax path and still agrees', async () => {
  const cells = grid(
    { method: 'simclr', pretrain_init_norm: 0.1, pretrain_steps: 20, steps: 100, n_test: 200 },
    { n_unlabeled: [50], snr: [0.2, 0.4] },
  );
  assertSameAlignment(
    await trainCells(cells, { backend: 'js' }),
    await trainCells(cells, { backend: 'wasm' }),
    cells,
  );
});
