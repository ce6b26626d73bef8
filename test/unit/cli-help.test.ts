import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/program.ts';

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

const pathOf = (cmd: Command): string => (cmd.parent ? `${pathOf(cmd.parent)} ${cmd.name()}` : cmd.name());

test('every command and subcommand shows an example of itself in --help', () => {
  const commands = allCommands(buildProgram());
  assert.ok(commands.length >= 25, `${commands.length} commands`);
  for (const cmd of commands) {
    const help = helpOf(cmd);
    assert.match(help, /\nExamples?:\n/, `${pathOf(cmd)} --help has no example`);
    assert.ok(
      help.includes(`$ ${pathOf(cmd)}`) || help.includes(` ${pathOf(cmd)} `),
      `${pathOf(cmd)}: example runs another command`,
    );
  }
});

test('results and export each say how they differ from the other', () => {
  const [results, exportCmd] = ['results', 'export'].map((name) =>
    buildProgram().commands.find((c) => c.name() === name)!,
  );
  assert.match(results.description(), /`export`/);
  assert.match(exportCmd.description(), /`results`/);
});
