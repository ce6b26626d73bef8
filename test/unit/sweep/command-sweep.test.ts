import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expandCells } from '../../../sweep/cells.ts';
import { withCodeHash } from '../../../sweep/command-sweep.ts';
import { parseSpecText, type SweepSpec } from '../../../sweep/spec.ts';

// A method: command spec: any parameter names, cells keyed by the params, the seed and the program's
// identity (argv, listed env, code hash), and errors that name the place in the file.

const EXAMPLE = new URL('../../../examples/command/numpy-cnn/spec.yaml', import.meta.url);

const spec = (text: string) => parseSpecText(text, 'cmd.yaml');
const SMALL = `name: small
method: command
command: {argv: [python3, train.py], metrics: [loss], env: {A: "1", B: "2"}}
grid: {width: [8, 16], act: [relu, tanh], seed: [0, 1]}
fixed: {lr: 0.1, fancy: true}
`;
const keysOf = (s: SweepSpec, hash = 'h1') => expandCells(withCodeHash(s, hash)).map((c) => c.key);

test('the example spec parses and expands to its 40 cells with the user parameters by name', () => {
  const parsed = spec(readFileSync(EXAMPLE, 'utf8'));
  const cells = expandCells(withCodeHash(parsed, 'abc'));
  assert.equal(cells.length, 40);
  const first = cells[0].params as unknown as Record<string, unknown>;
  assert.equal(first.method, 'command');
  assert.deepEqual(first.command, {
    argv: ['python3', 'train.py'],
    env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    code_hash: 'abc',
  });
  assert.equal(first.d, 200);
  assert.equal(typeof first.n_labels, 'number');
  assert.equal(new Set(cells.map((c) => c.key)).size, 40);
});

test('a cell key holds the params, the seed, argv, the listed env and the code hash, in any order written', () => {
  const base = keysOf(spec(SMALL));
  assert.equal(base.length, 8);
  // the same spec with its keys in another order: the same keys
  const reordered = spec(`name: small
method: command
fixed: {fancy: true, lr: 0.1}
grid: {seed: [0, 1], act: [relu, tanh], width: [8, 16]}
command: {env: {B: "2", A: "1"}, metrics: [loss], argv: [python3, train.py]}
`);
  assert.deepEqual(keysOf(reordered).sort(), [...base].sort());
  // each part of the identity changes every key
  for (const other of [
    keysOf(spec(SMALL), 'h2'),
    keysOf(spec(SMALL.replace('train.py', 'train2.py'))),
    keysOf(spec(SMALL.replace('B: "2"', 'B: "3"'))),
    keysOf(spec(SMALL.replace('lr: 0.1', 'lr: 0.2'))),
  ])
    assert.deepEqual(
      other.filter((key) => base.includes(key)),
      [],
    );
  // what is not part of the identity (timeouts, metrics, cwd) changes none
  assert.deepEqual(
    keysOf(spec(SMALL.replace('metrics: [loss]', 'metrics: [loss, acc], timeout: 5m, cwd: sub'))),
    base,
  );
});

test('a command spec is expanded only with its code hash', () => {
  assert.throws(() => expandCells(spec(SMALL)), /only once the code of its program is hashed/);
});

test('errors name the file, the line and column, and what is wrong', () => {
  const cases: [string, RegExp][] = [
    [SMALL.replace('[8, 16]', '[8, 8]'), /: cmd\.yaml:4:\d+: grid\.width: duplicate value 8/],
    [
      SMALL.replace('method: command', 'method: [command, noop]'),
      /: cmd\.yaml:2:\d+: method: command runs your own program/,
    ],
    [SMALL.replace('act:', 'command:'), /: cmd\.yaml:4:\d+: grid\.command/],
    [
      SMALL.replace('seed: [0, 1]', 'seed: [0, 1.5]'),
      /: cmd\.yaml:4:\d+: grid\.seed: expected whole numbers >= 0, got 1\.5/,
    ],
    [
      SMALL.replace('fixed: {lr: 0.1', 'fixed: {width: 4, lr: 0.1'),
      /: cmd\.yaml:5:\d+: fixed\.width: 'width' is also a grid axis/,
    ],
    [SMALL.replace('argv: [python3, train.py], ', ''), /: cmd\.yaml:3:\d+: command\.argv/],
    [
      `${SMALL}refine: {axis: width, metric: test_error, threshold: 0.5, resolution: 1}\n`,
      /: cmd\.yaml:6:\d+: refine\.metric: expected one of the metrics command\.metrics lists: loss/,
    ],
    [
      'name: x\nmethod: supervised\ngrid: {snr: [1]}\ncommand: {argv: [a], metrics: [m]}\n',
      /: cmd\.yaml:4:\d+: command: a command: section runs your own program: set method: command/,
    ],
  ];
  for (const [text, expected] of cases) assert.throws(() => spec(text), expected, text);
});
