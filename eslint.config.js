import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';
import { readdirSync, readFileSync } from 'node:fs';

// The layers of the README's "Architecture" section, one element per top-level folder, and what each may
// import from outside the project. A package or Node module not in its layer's list fails lint, so a
// layer's reach (Postgres, Temporal, the file system) is read here, in one place.
const LAYERS = {
  // The science: tfjs and its backends; node:module and node:path only to find the wasm binaries, and
  // node:v8 only to turn on relaxed SIMD (fused multiply-add) before the kernel is compiled.
  trainer: ['@tensorflow/*', 'zod', 'node:module', 'node:path', 'node:v8'],
  // The pure domain: no file system, no network, no environment (see the rule below).
  sweep: ['zod', 'yaml', '@stdlib/*', 'node:crypto'],
  store: ['pg', 'pg-*', 'node:crypto', 'node:fs', 'node:path', 'node:stream', 'node:url', 'node:util'],
  // tsx: the training thread's entry registers it, as bin/ does.
  activities: ['@temporalio/activity', 'pg', 'tsx', 'node:worker_threads', 'node:timers'],
  // Temporal's deterministic sandbox offers only the workflow API.
  workflows: ['@temporalio/workflow'],
  client: ['@temporalio/client', 'node:crypto', 'node:timers'],
  workers: ['@temporalio/worker', 'node:*'],
  dashboards: ['@grafana/grafana-foundation-sdk', 'node:fs', 'node:path'],
  infra: ['@temporalio/client', '@temporalio/testing', 'pg', 'node:*'],
  // Parsing and printing: the CLI reaches Postgres and Temporal through store/ and client/ (below: it
  // may name the types of the pool and the client it hands on).
  cli: ['commander', 'cli-progress', 'vega', 'vega-lite', '@resvg/resvg-js', 'node:*'],
  // The installed command: it registers tsx and loads cli/main.ts.
  bin: ['tsx'],
  test: ['**'],
  bench: ['**'],
  study: ['**'],
};
const LAYER_NAMES = Object.keys(LAYERS);
const PURE = 'sweep/ is pure: read the environment in infra/ or cli/ and pass it in';

const layer = (type) => ({ element: { type } });
const types = (...names) => ({ element: { types: { anyOf: names } } });
// Outside trainer/, only its public module: it loads tfjs on first use, so it is cheap to import.
const trainerPublic = { element: { type: 'trainer' }, file: { path: 'trainer/index.ts' } };
const typesOnly = { kind: 'type' };
const packages = (...sources) => ({ module: { origin: ['external', 'core'], source: sources } });

// What each layer may import; anything else is an error.
const policies = [
  ...Object.entries(LAYERS).map(([name, allowed]) => ({
    from: layer(name),
    allow: { to: packages(...allowed) },
  })),
  { from: layer('bin'), allow: { to: { element: { type: 'cli' }, file: { path: 'cli/main.ts' } } } },
  { from: layer('sweep'), allow: { to: trainerPublic } },
  { from: layer('store'), allow: [{ to: layer('sweep') }, { to: trainerPublic }] },
  { from: layer('activities'), allow: [{ to: types('sweep', 'store') }, { to: trainerPublic }] },
  {
    from: layer('workflows'),
    allow: [{ to: layer('sweep') }, { to: layer('activities'), dependency: typesOnly }],
  },
  {
    from: layer('client'),
    allow: [{ to: types('workflows', 'sweep', 'infra') }, { to: layer('activities'), dependency: typesOnly }],
  },
  {
    from: layer('workers'),
    allow: [{ to: types('activities', 'workflows', 'store', 'sweep', 'infra') }, { to: trainerPublic }],
  },
  // The local stack's health report probes Postgres with the store's own check; the spec file and the
  // grid limit are read here for the CLI, the workers and the benches.
  { from: layer('infra'), allow: { to: types('store', 'sweep') } },
  { from: layer('dashboards'), allow: { to: types('store', 'sweep') } },
  {
    from: layer('cli'),
    allow: [
      { to: types('sweep', 'store', 'activities', 'workflows', 'client', 'workers', 'dashboards', 'infra') },
      { to: trainerPublic },
      { to: packages('pg', '@temporalio/client'), dependency: typesOnly },
    ],
  },
  { from: types('test', 'bench', 'study'), allow: { to: types(...LAYER_NAMES) } },
];

// The methods' names, read from their modules (each declares `const name = '...'`), so that adding a
// method touches only its module and the registry.
const METHODS_DIR = new URL('./trainer/methods/', import.meta.url);
const METHOD_NAMES = readdirSync(METHODS_DIR)
  .filter((file) => file.endsWith('.ts'))
  .flatMap((file) => {
    const match = /^const name = '([a-z0-9_-]+)';$/m.exec(readFileSync(new URL(file, METHODS_DIR), 'utf8'));
    return match ? [match[1]] : [];
  });
const NAMES = METHOD_NAMES.join('|');
const ASK_THE_REGISTRY =
  'a method is named only in its own module and the registry (trainer/methods/): ask the registry (methodOf, METHOD, METHODS)';
const METHOD_NAME_RULES = [
  // the name itself, in code or in a type
  { selector: `Literal[value=/^(${NAMES})$/]`, message: ASK_THE_REGISTRY },
  // quoted in SQL or any other template text
  { selector: `TemplateElement[value.raw=/'(${NAMES})'/]`, message: ASK_THE_REGISTRY },
  // any method compared with a literal, whatever its name
  {
    selector: "BinaryExpression[operator=/^[!=]==?$/][left.property.name='method'][right.type='Literal']",
    message: ASK_THE_REGISTRY,
  },
  {
    selector: "BinaryExpression[operator=/^[!=]==?$/][right.property.name='method'][left.type='Literal']",
    message: ASK_THE_REGISTRY,
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.phasesweep/', 'dist/', 'coverage/', 'dashboards/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Every source file, JavaScript as TypeScript, belongs to a layer: a file outside them (a root x.ts,
    // a new lib/) fails lint until the layer table names its folder.
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    // This file configures the tools; it is no part of the program.
    ignores: ['eslint.config.js'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYER_NAMES.map((type) => ({ type, pattern: type, partialMatch: false })),
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, policies }],
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
    },
  },
  {
    // The domain computes; what it needs from the environment, the layer that does I/O passes in.
    files: ['sweep/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: PURE }],
      'no-restricted-properties': ['error', { object: 'globalThis', property: 'process', message: PURE }],
    },
  },
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    ignores: ['trainer/methods/**', 'test/**', '*.config.js'],
    rules: { 'no-restricted-syntax': ['error', ...METHOD_NAME_RULES] },
  },
);
