// A path given with --out that cannot be written is named with the reason in words, never a bare system
// error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeOutputFile } from '../../../cli/write-output.ts';
import { BadInputError } from '../../../cli/exit.ts';

test('a file that cannot be created (in /proc) is bad input with its reason in words', async () => {
  const file = '/proc/phasesweep-plot.png';
  await assert.rejects(writeOutputFile(file, 'x'), (err: unknown) => {
    assert.ok(err instanceof BadInputError);
    assert.equal(err.message, `--out ${file}: cannot write it: no file can be created there`);
    return true;
  });
});
