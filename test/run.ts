// Node 20's test runner takes no globs, so the suite is collected here: every *.test.ts under the
// folders given (default: all of test/), run by `node --test` with tsx loaded.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// test/faults and test/cluster are CI steps of their own (`npm run test:faults`, `npm run
// test:cluster`): collected only when named.
const OWN_STEPS = [join('test', 'faults'), join('test', 'cluster')];
function collect(path: string, named = true): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  if (!named && OWN_STEPS.includes(path)) return [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry), false));
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = (roots.length > 0 ? roots : ['test']).flatMap((root) => collect(root));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
