// Bad input on a real stack: invalid specs (oversized grid, negative or NaN parameters, unknown
// method, missing or unknown fields) are refused with exit 2 and a message naming the file and the
// place, before any workflow starts; hostile names and tags (quotes, semicolons, SQL, unicode, very
// long) go through run -> ls/show/export verbatim. About 25 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connectClient } from '../../client/connect.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { spawnWorker } from '../helpers/sweeps.ts';
import { assertComplete, faultStack, sweepIdOf } from '../helpers/faults.ts';

const HOSTILE_NAME =
  `Robert'); DROP TABLE results;-- "quoted" \`tick\` $1 %s \\ ünïcødé 名前 🚀 ` + 'long '.repeat(600);
const HOSTILE_TAGS = {
  "o'wner; DELETE FROM sweeps": 'val"ue -- ; \' OR 1=1',
  'émoji 🧪': 'line\nbreak\ttab',
  long: 'x'.repeat(5000),
};

const f = faultStack('input');

const valid = {
  method: 'noop',
  grid: { snr: [0.5, 1], seed: { range: [0, 2] } },
  resources: { batch_size: 2, max_in_flight: 2 },
};

// [file name, spec text, what the error must name]
const INVALID: [string, string, RegExp][] = [
  [
    'oversized',
    'name: big\nmethod: noop\ngrid: {snr: {linspace: [0.1, 1, 2000]}, seed: {range: [0, 1000]}}\n',
    /2000000 cells, more than the limit/,
  ],
  ['negative', 'name: neg\nmethod: supervised\ngrid: {n_labels: [8, -4]}\n', /grid\.n_labels/],
  ['nan', 'name: nan\nmethod: supervised\ngrid: {snr: [0.5, .nan]}\n', /grid\.snr/],
  [
    'unknown-method',
    'name: m\nmethod: sgd\ngrid: {snr: [0.5]}\n',
    /method.*expected one of supervised, simclr, noop/,
  ],
  ['missing-grid', 'name: g\nmethod: noop\n', /grid/],
  ['missing-name', 'method: noop\ngrid: {snr: [0.5]}\n', /name/],
  ['unknown-field', 'name: u\nmethod: noop\ngrid: {snr: [0.5]}\nfixd: {d: 3}\n', /fixd/],
  ['wrong-type', 'name: t\nmethod: noop\ngrid: {snr: "lots"}\n', /grid\.snr/],
  ['not-yaml', 'name: [unclosed\n', /YAML|yaml|flow/],
];

test(
  'invalid specs are refused with exit 2 before any workflow starts; hostile strings round-trip',
  { timeout: 180_000 },
  async () => {
    const env = f.env;
    for (const [file, text, names] of INVALID) {
      const path = join(f.dir, `${file}.yaml`);
      writeFileSync(path, text);
      const r = await runPhasesweep(['run', path, '--wait'], env);
      assert.equal(r.code, 2, `${file}: exit ${r.code}\n${r.stdout}${r.stderr}`);
      assert.ok(r.stderr.includes(path), `${file}: the error names the file: ${r.stderr}`);
      assert.match(r.stderr, names, `${file}: the error names what is wrong`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${file}: no stack trace`);
    }

    const worker = await spawnWorker(env);
    let sweepId: string;
    try {
      const spec = join(f.dir, 'hostile.yaml');
      writeFileSync(spec, stringify({ name: HOSTILE_NAME, ...valid, tags: HOSTILE_TAGS }));
      const run = await runPhasesweep(['run', spec, '--wait', '--json'], env);
      sweepId = await sweepIdOf(run);
    } finally {
      await worker.stop();
    }

    // Only the valid sweep ever reached Temporal.
    const { client, close } = await connectClient(
      f.stack.endpoints.temporalAddress,
      f.stack.endpoints.namespace,
    );
    try {
      const ids: string[] = [];
      for await (const w of client.workflow.list()) ids.push(w.workflowId);
      assert.equal(ids.length, 1, `workflows: ${ids.join(', ')}`);
      assert.match(ids[0], /^sweep-robert-drop-table-results-quoted-tick-1-s/);
    } finally {
      await close();
    }

    const ls = JSON.parse((await runPhasesweep(['ls', '--json'], env)).stdout) as {
      name: string;
      tags: unknown;
    }[];
    assert.equal(ls.length, 1);
    assert.equal(ls[0].name, HOSTILE_NAME);
    assert.deepEqual(ls[0].tags, HOSTILE_TAGS);
    // Looked up by the hostile name itself, passed as one argument.
    const show = await runPhasesweep(['show', HOSTILE_NAME, '--json'], env);
    assert.equal(show.code, 0, show.stderr);
    const shown = (JSON.parse(show.stdout) as { sweep: { id: string; name: string; tags: unknown } }).sweep;
    assert.deepEqual([shown.id, shown.name, shown.tags], [sweepId, HOSTILE_NAME, HOSTILE_TAGS]);
    const showText = await runPhasesweep(['show', sweepId, '--no-color'], env);
    assert.ok(showText.stdout.includes(HOSTILE_NAME), 'show prints the name verbatim');
    const exported = JSON.parse(
      (await runPhasesweep(['export', HOSTILE_NAME, '--format', 'json'], env)).stdout,
    ) as {
      sweep_id: string;
    }[];
    assert.deepEqual(new Set(exported.map((r) => r.sweep_id)), new Set([sweepId]));
    await assertComplete(env, f.stack.endpoints.databaseUrl, sweepId, 4);
  },
);
