// Property-based tests of the CLI's argument layer: random argument lists (real command paths and
// option names mixed with hostile strings and odd numbers) given to the real commander program in
// process. Every one either reaches a command's action with values its parsers accepted, or is
// refused by commander with a one-line "error: ..." naming what is wrong (exit 2 in bin/phasesweep);
// nothing else is thrown and no stack trace is written. Actions are replaced by a recorder: what the
// actions do with their input (specs, stores) is tested by the spec fuzz tests and by a handful of
// real process runs at the end. About 10 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import fc from 'fast-check';
import { buildProgram } from '../../cli/program.ts';
import { runPhasesweep } from '../helpers/stack.ts';

interface Harness {
  program: Command;
  leaves: { path: string[]; flags: string[] }[];
  calls: { path: string; args: unknown[] }[];
  out(): string;
  err(): string;
}

function harness(): Harness {
  const program = buildProgram();
  let out = '';
  let err = '';
  const calls: Harness['calls'] = [];
  const leaves: Harness['leaves'] = [];
  const visit = (cmd: Command, path: string[]) => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    if (cmd.commands.length === 0 && path.length > 0) {
      const flags = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
      leaves.push({ path, flags });
      cmd.action((...args: unknown[]) => {
        calls.push({ path: path.join(' '), args: args.slice(0, -1) });
      });
    }
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return { program, leaves, calls, out: () => out, err: () => err };
}

const LEAVES = harness().leaves;

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    '-',
    '--',
    '---x',
    '-1',
    '0',
    'NaN',
    'Infinity',
    '1e309',
    '0x10',
    '1.5',
    ' 7 ',
    "'; DROP TABLE results; --",
    '"quoted"',
    '$(rm -rf /)',
    '名前 🚀',
    'x'.repeat(10_000),
    '\u0000',
    '--help=',
    '--format=xml',
  ),
);

// A real command path, then a mix of its own flags (bare and with values) and hostile strings.
const argv = fc
  .constantFrom(...LEAVES)
  .chain((leaf) =>
    fc
      .array(
        fc.oneof(
          leaf.flags.length > 0 ? fc.constantFrom(...leaf.flags) : hostile,
          leaf.flags.length > 0
            ? fc.tuple(fc.constantFrom(...leaf.flags), hostile).map(([f, v]) => `${f}=${v}`)
            : hostile,
          hostile,
        ),
        { maxLength: 6 },
      )
      .map((rest) => [...leaf.path, ...rest]),
  );

async function parse(args: string[]) {
  const h = harness();
  try {
    await h.program.parseAsync(args, { from: 'user' });
    return { h, error: undefined };
  } catch (error) {
    return { h, error };
  }
}

test('any argument list reaches an action or is refused by commander with a one-line error', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(argv, fc.array(hostile, { maxLength: 5 })), async (args) => {
      const { h, error } = await parse(args);
      assert.doesNotMatch(h.err(), /\n\s+at /, 'no stack trace');
      if (error === undefined) {
        // An action ran, or a group printed its help.
        assert.ok(h.calls.length === 1 || h.out() !== '', `nothing happened for ${JSON.stringify(args)}`);
        return;
      }
      assert.ok(error instanceof CommanderError, `${(error as Error)?.stack}`);
      if (error.code === 'commander.help') {
        // No command (or a group without its subcommand): the usage, on stderr.
        assert.match(h.err(), /^Usage: phasesweep/);
      } else if (error.exitCode !== 0) {
        assert.match(h.err(), /^error: \S/m, `commander names the problem: ${h.err()}`);
        assert.equal(h.calls.length, 0, 'a refused command runs nothing');
      }
    }),
    { numRuns: 600 },
  );
});

test('option parsers hand actions only the values they promise', async () => {
  await fc.assert(
    fc.asyncProperty(hostile, async (value) => {
      const { h, error } = await parse(['ls', '--limit', value]);
      if (error === undefined) {
        const opts = h.calls[0].args[0] as { limit: unknown };
        assert.ok(
          Number.isInteger(opts.limit) && (opts.limit as number) > 0,
          `--limit ${value} -> ${String(opts.limit)}`,
        );
      } else if (error instanceof CommanderError && error.code === 'commander.version') {
        // `-V` after `--limit` is commander's version flag, as anywhere else: it prints the version and
        // runs nothing.
        assert.equal(h.calls.length, 0, 'the version flag runs nothing');
        assert.match(h.out(), /^\d+\.\d+\.\d+/);
      } else {
        assert.ok(error instanceof CommanderError);
        assert.match(h.err(), /--limit/, 'the error names the option');
      }
    }),
    { numRuns: 300 },
  );
  for (const [args, names] of [
    [['results', 'x', '--format', 'xml'], /--format.*xml.*json, csv/s],
    [['export', 'x', '--format', 'yaml'], /--format/],
    [['run'], /missing required argument 'spec'/],
    [['show'], /missing required argument 'sweep'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ] as const) {
    const { h, error } = await parse([...args]);
    assert.ok(error instanceof CommanderError && error.exitCode !== 0, args.join(' '));
    assert.match(h.err(), names);
  }
});

// The real bin, pointed at ports where nothing listens, so that no command can start a local stack:
// every run exits 1 (failure) or 2 (bad input) with a message, never a stack trace.
test('real process runs: bad arguments and unreachable services give a message and exit 1 or 2', async () => {
  const home = mkdtempSync(join(tmpdir(), 'phasesweep-cli-args-'));
  const env = {
    PHASESWEEP_HOME: home,
    DATABASE_URL: 'postgres://someone:hunter2-Secret@127.0.0.1:9/nothing',
    TEMPORAL_ADDRESS: '127.0.0.1:9',
  };
  try {
    const cases: [string[], number, RegExp][] = [
      [['frobnicate'], 2, /unknown command/],
      [['ls', '--limit', '-3'], 2, /--limit/],
      [['run', join(home, 'missing.yaml')], 2, /missing\.yaml/],
      [['train-cell', '--params', '{not json'], 2, /--params|JSON/],
      [['train-cell', '--params', '{"method":"noop","snr":-1}'], 2, /snr/],
      [['ls'], 1, /127\.0\.0\.1:9/],
      [['show', "'; DROP TABLE sweeps; --"], 1, /127\.0\.0\.1:9/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runPhasesweep(args, env, 60_000)));
    runs.forEach((r, i) => {
      const [args, code, names] = cases[i];
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, names, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at |hunter2/, `${args.join(' ')}: no stack trace or password`);
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
