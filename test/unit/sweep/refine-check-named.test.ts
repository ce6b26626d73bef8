// refine: on a user's program's sweep (`method: command`, whose spec lists command.metrics): any metric
// it lists and any numeric grid axis by the program's own names; a built-in sweep keeps the trainer's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRefineSection } from '../../../sweep/refine-check.ts';
import type { SweepSpec } from '../../../sweep/spec-schema.ts';

const grid = {
  n: [16, 64, 256],
  lr: { geomspace: [0.001, 0.1, 5] },
  optimizer: ['sgd', 'adam'],
  seed: { range: [0, 4] },
} as unknown as SweepSpec['grid'];
const listed = ['val_err', 'val_acc'];
const messages = (refine: Record<string, unknown>, metrics?: string[]) =>
  checkRefineSection(grid, { resolution: 0.01, ...refine }, metrics).map(
    (i) => `${i.path.join('.')}: ${i.message}`,
  );

describe("refine: on a program's sweep", () => {
  it('takes a metric the spec lists and a numeric axis by the program name', () => {
    assert.deepEqual(messages({ axis: 'lr', metric: 'val_acc' }, listed), []);
    assert.deepEqual(
      messages({ axis: 'n', metric: 'val_err', trace: { axis: 'lr', resolution: 0.1 } }, listed),
      [],
    );
  });
  it('refuses a metric the spec does not list, a categorical axis and a missing one, naming the choices', () => {
    assert.deepEqual(messages({ axis: 'optimizer', metric: 'test_error' }, listed), [
      'refine.metric: expected one of the metrics command.metrics lists: val_err, val_acc',
      "refine.axis: 'optimizer' cannot be refined; expected a numeric grid axis with at least 2 values (grid axes here: n, lr)",
    ]);
    assert.deepEqual(messages({ axis: 'snr', metric: 'val_err' }, listed), [
      "refine.axis: 'snr' is not a grid axis; expected a numeric grid axis with at least 2 values (grid axes here: n, lr)",
    ]);
  });
  it("keeps a built-in sweep to the trainer's metrics and axes", () => {
    assert.match(
      messages({ axis: 'lr', metric: 'val_acc' }).join('\n'),
      /^refine\.metric: expected a result metric: test_error/,
    );
    assert.match(
      messages({ axis: 'n', metric: 'test_error' }).join('\n'),
      /^refine\.axis: 'n' cannot be refined/,
    );
  });
});
