import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expandCells } from '../../../sweep/cells.ts';
import { withFreshSeeds } from '../../../sweep/fresh-seeds.ts';
import { parseSpecText } from '../../../sweep/spec.ts';

const spec = (seed: string) =>
  parseSpecText(
    `name: nightly\nmethod: supervised\ngrid:\n  n_labels: [4, 16]\n  snr: [0.1, 1.0]\n${seed}`,
    'nightly.yaml',
  );
const seedsOf = (s: ReturnType<typeof spec>) => [...new Set(expandCells(s).map((c) => c.params.seed))];

it('the first run trains the spec as written; later ones count new seeds per grid point', () => {
  const written = spec('  seed: { range: [0, 4] }\n');
  assert.equal(withFreshSeeds(written, null, 2), written);
  const later = withFreshSeeds(written, 4, 2);
  assert.deepEqual(seedsOf(later), [4, 5]);
  assert.equal(expandCells(later).length, 4 * 2);
  assert.deepEqual(later.grid.n_labels, written.grid.n_labels);
});

it('a seed fixed in the spec moves to the grid', () => {
  const fixed = spec('fixed: { seed: 3 }\n');
  const later = withFreshSeeds(fixed, 4, 3);
  assert.equal(later.fixed.seed, undefined);
  assert.deepEqual(seedsOf(later), [4, 5, 6]);
});
