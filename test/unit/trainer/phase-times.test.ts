import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyPhaseTimes, PHASES, trainCells } from '../../../trainer/index.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// The phase clock of the trainer benchmark: every phase a run goes through is charged, and the phases
// add up to no more than the run.

test('a supervised and a SimCLR run charge data, pre-training, training and evaluation', async () => {
  const cells = [
    ...grid({ steps: 50, n_test: 200 }, { snr: [0.3, 0.6] }),
    ...grid({ method: 'simclr', n_unlabeled: 50, pretrain_steps: 20, steps: 50, n_test: 200 }, {}),
  ];
  const supervisedOnly = emptyPhaseTimes();
  await trainCells(cells.slice(0, 2), { backend: 'js', phaseTimes: supervisedOnly });
  assert.equal(supervisedOnly.pretraining, 0);

  const times = emptyPhaseTimes();
  const t0 = performance.now();
  await trainCells(cells, { backend: 'js', phaseTimes: times });
  const wall = performance.now() - t0;
  for (const phase of PHASES) assert.ok(times[phase] > 0, `${phase}: ${times[phase]} ms`);
  const sum = PHASES.reduce((s, p) => s + times[p], 0);
  assert.ok(sum <= wall, `phases ${sum} ms, run ${wall} ms`);
});
