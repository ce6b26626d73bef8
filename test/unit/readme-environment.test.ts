import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Every environment variable phasesweep reads (or sets for a program it runs) is named in the README, and
// those a user sets to configure it are in the Configuration table with their default.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const SOURCE_FOLDERS = [
  'activities',
  'bin',
  'cli',
  'client',
  'dashboards',
  'infra',
  'store',
  'sweep',
  'trainer',
  'workers',
  'workflows',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry) ? [path] : [];
  });
}

// Names read as process.env.NAME or env.NAME, and names written as string constants (read through
// env[CONSTANT] or handed to a program), of phasesweep's own families and the standard ones it honours.
function variablesInCode(): Set<string> {
  const names = new Set<string>();
  for (const file of SOURCE_FOLDERS.flatMap((folder) => sourceFiles(join(root, folder)))) {
    const text = readFileSync(file, 'utf8');
    for (const [, name] of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(name!);
    for (const [, name] of text.matchAll(
      /['"`]((?:PHASESWEEP|TEMPORAL|DATABASE|GRAFANA|XDG|CUDA)_[A-Z0-9_]+|NO_COLOR)['"`]/g,
    ))
      names.add(name!);
  }
  names.delete('PATH');
  return names;
}

const configurationTable = (() => {
  const start = readme.indexOf('\n## Configuration\n');
  assert.ok(start >= 0, 'the README has a Configuration section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .join('\n');
})();

test('every environment variable the code reads or sets is named in the README', () => {
  const names = [...variablesInCode()].sort();
  assert.ok(names.includes('DATABASE_URL') && names.length > 25, `${names.length} variables found`);
  assert.deepEqual(
    names.filter((name) => !readme.includes(name)),
    [],
  );
});

test('the Configuration table lists what a user sets to configure phasesweep, each with a default', () => {
  const rows = configurationTable.split('\n');
  for (const name of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'PHASESWEEP_HOME',
    'PHASESWEEP_BACKEND',
    'PHASESWEEP_LOG_LEVEL',
    'PHASESWEEP_GPUS',
    'PHASESWEEP_GRAFANA_PASSWORD',
    'PHASESWEEP_WRITER_PASSWORD',
    'PHASESWEEP_READER_ROLE',
    'PHASESWEEP_WRITER_ROLE',
    'GRAFANA_TOKEN',
    'NO_COLOR',
  ]) {
    const row = rows.find((line) => line.includes(`\`${name}\``));
    assert.ok(row, `${name} has a row`);
    assert.equal(row.split(' | ').length, 3, `${name}: variable, meaning and default`);
  }
});
