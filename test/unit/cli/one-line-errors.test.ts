import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../../cli/program.ts';

// Each refused value, as a new user typed it: one line naming the option (or command) and what it
// accepts, then where the help is; never the whole help after it.
const CASES: [string[], RegExp, string][] = [
  [['show', 'demo', '--threshold', 'abc'], /--threshold <value>.*'abc'.*expected a number/, 'show'],
  [['plot', 'demo'], /required option '--out <file>' not specified/, 'plot'],
  [
    ['plot', 'demo', '--out', 'x.png', '--scale', '0'],
    /--scale <factor>.*expected a positive number/,
    'plot',
  ],
  [['ls', '--limit', '-1'], /--limit <n>.*expected a positive integer/, 'ls'],
  [['drift', 'a', 'b', '--fdr', '2'], /--fdr <rate>.*expected a number between 0 and 1/, 'drift'],
  [['results', 'demo', '--format', 'xml'], /--format <format>.*'xml'.*json, csv/, 'results'],
  [['worker', '--queue', 'gpu'], /--queue <queue>.*'gpu'.*train-cpu, train-gpu/, 'worker'],
  [['schedule', 'list'], /unknown command 'list' \(did you mean ls\?\)/, 'schedule'],
];

function quiet(cmd: Command, write: (s: string) => void): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeOut: write, writeErr: write });
  for (const sub of cmd.commands) quiet(sub, write);
}

for (const [args, names, command] of CASES) {
  test(`${args.join(' ')}: one line naming the problem, then see: phasesweep ${command} --help`, async () => {
    const program = buildProgram();
    let err = '';
    quiet(program, (s) => (err += s));
    await assert.rejects(program.parseAsync(args, { from: 'user' }));
    const lines = err.trimEnd().split('\n');
    assert.equal(lines.length, 2, err);
    assert.match(lines[0], /^error: /);
    assert.match(lines[0], names);
    assert.equal(lines[1], `see: phasesweep ${command} --help`);
  });
}
