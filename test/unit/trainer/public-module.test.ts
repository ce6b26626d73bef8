import assert from 'node:assert/strict';
import { test } from 'node:test';

// tfjs-core registers its engine on this global when it is first loaded.
const tfjsLoaded = () => (globalThis as { _tfengine?: unknown })._tfengine !== undefined;

test('the trainer public module, sweep/ and the CLI start without loading tfjs', async () => {
  await import('../../../trainer/index.ts');
  await import('../../../sweep/spec.ts');
  await import('../../../sweep/cells.ts');
  await import('../../../sweep/batches.ts');
  await import('../../../cli/program.ts');
  assert.equal(tfjsLoaded(), false);
});

test('training through the public module loads tfjs on first use', async () => {
  const trainer = await import('../../../trainer/index.ts');
  assert.equal(await trainer.initBackend('cpu'), 'cpu');
  assert.equal(tfjsLoaded(), true);
});
