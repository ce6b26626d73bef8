import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedWorkflowBundle } from '../../../workers/workflow-bundle.ts';

test('the workflow bundle is cached with the hashes of its inputs and rebuilt when one changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-bundle-'));
  try {
    const file = join(dir, 'workflow-bundle.json');
    const first = await cachedWorkflowBundle(dir);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { code: string; inputs: Record<string, string> };
    assert.equal(cached.code, first.code);
    assert.ok(
      'workflows/sweep-workflow.ts' in cached.inputs,
      'the project files inside the bundle are inputs',
    );
    assert.ok('package-lock.json' in cached.inputs, 'the lock file pins the SDK inside the bundle');
    assert.ok(Object.keys(cached.inputs).every((path) => !path.startsWith('node_modules/')));

    const written = statSync(file).mtimeMs;
    const again = await cachedWorkflowBundle(dir);
    assert.equal(again.code, first.code);
    assert.equal(statSync(file).mtimeMs, written, 'an unchanged bundle is read, not rebuilt');

    cached.inputs['workflows/sweep-workflow.ts'] = 'stale';
    writeFileSync(file, JSON.stringify({ ...cached, code: 'stale code' }));
    const rebuilt = await cachedWorkflowBundle(dir);
    assert.equal(rebuilt.code, first.code, 'a changed input means bundling again');
    const rewritten = JSON.parse(readFileSync(file, 'utf8')) as { inputs: Record<string, string> };
    assert.notEqual(rewritten.inputs['workflows/sweep-workflow.ts'], 'stale');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle is cached whatever folder the command runs in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-bundle-cwd-'));
  const before = process.cwd();
  try {
    // `phasesweep run` from a spec's folder: webpack names modules relative to its context, which must be
    // the project, not the working folder, for the project's files to be found in the bundle.
    process.chdir(dir);
    await cachedWorkflowBundle(join(dir, 'cache'));
    const cached = JSON.parse(readFileSync(join(dir, 'cache', 'workflow-bundle.json'), 'utf8')) as {
      inputs: Record<string, string>;
    };
    assert.ok('workflows/sweep-workflow.ts' in cached.inputs);
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
});
