import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/program.ts';

// The README is the user's manual: every option of every command is described where the command is, and
// every option the README shows on a command exists.

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Paragraphs, with each table row and each command line of a code block a block of its own.
function readmeBlocks(): string[] {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push(paragraph.join('\n'));
    paragraph = [];
  };
  for (const line of readme.split('\n')) {
    if (line.trim() === '') flush();
    else if (line.startsWith('|') || /^(npx )?phasesweep /.test(line)) {
      flush();
      blocks.push(line);
    } else paragraph.push(line);
  }
  flush();
  return blocks;
}

interface Documented {
  path: string[];
  command: Command;
}

function commandsOf(cmd: Command, parents: string[] = []): Documented[] {
  return cmd.commands.flatMap((sub) => {
    const path = [...parents, sub.name()];
    return [{ path, command: sub }, ...commandsOf(sub, path)];
  });
}

const longFlags = (cmd: Command) =>
  cmd.options.map((o) => o.long).filter((flag): flag is string => flag !== undefined && flag !== '--help');

test('every command and every option it takes is described in a README paragraph or row naming the command', () => {
  const blocks = readmeBlocks();
  const missing: string[] = [];
  for (const { path, command } of commandsOf(buildProgram())) {
    // `schedule create` may be written so, or as `create` inside the schedule section's own sentences.
    const names = [path.join(' '), ...(path.length > 1 ? [path.at(-1)!] : [])];
    const mention = new RegExp(names.map((name) => `(\`|phasesweep )${escape(name)}\\b`).join('|'));
    const own = blocks.filter((block) => mention.test(block));
    if (own.length === 0) missing.push(`${path.join(' ')} (the command itself)`);
    for (const flag of longFlags(command)) {
      const named = new RegExp(`${escape(flag)}(?![\\w-])`);
      if (!own.some((block) => named.test(block))) missing.push(`${path.join(' ')} ${flag}`);
    }
  }
  assert.deepEqual(missing, [], 'not in the README');
});

test('every option the README shows on a command is one the command takes', () => {
  const program = buildProgram();
  const lookup = (words: string[]): Command | undefined => {
    let found: Command | undefined;
    let at: Command = program;
    for (const word of words) {
      const sub = at.commands.find((c) => c.name() === word);
      if (sub === undefined) break;
      found = at = sub;
    }
    return found;
  };
  const usages = [
    ...[...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!),
    ...readme.split('\n').filter((line) => /^(npx )?phasesweep /.test(line)),
  ];
  const unknown: string[] = [];
  let checked = 0;
  for (const usage of usages) {
    const text = usage.replace(/^(npx )?phasesweep /, '');
    const command = lookup(text.split(/\s+/).slice(0, 2));
    if (command === undefined) continue;
    const takes = new Set([...longFlags(command), '--help']);
    for (const [flag] of text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) {
      checked += 1;
      if (!takes.has(flag)) unknown.push(`${flag} in \`${usage}\``);
    }
  }
  assert.ok(checked > 50, `${checked} options checked`);
  assert.deepEqual(unknown, []);
});
