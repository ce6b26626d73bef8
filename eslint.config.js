import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

// The layers of the README's "Architecture" section, one element per top-level folder.
const LAYERS = [
  'trainer',
  'sweep',
  'store',
  'activities',
  'workflows',
  'client',
  'workers',
  'dashboards',
  'infra',
  'cli',
  'test',
  'bench',
  'study',
];

const layer = (type) => ({ element: { type } });
const types = (...names) => ({ element: { types: { anyOf: names } } });
// Outside trainer/, only its public module: it loads tfjs on first use, so it is cheap to import.
const trainerPublic = { element: { type: 'trainer' }, file: { path: 'trainer/index.ts' } };
const typesOnly = { kind: 'type' };
const external = (...sources) => ({ module: { origin: 'external', source: sources } });

// What each layer may import besides itself; anything else is an error. Later policies win.
const policies = [
  { allow: { to: { module: { origin: ['external', 'core'] } } } },
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
  // The local stack's health report probes Postgres with the store's own check.
  { from: layer('infra'), allow: { to: layer('store') } },
  { from: layer('dashboards'), allow: { to: types('store', 'sweep') } },
  {
    from: layer('cli'),
    allow: [
      { to: types('sweep', 'store', 'activities', 'workflows', 'client', 'workers', 'dashboards', 'infra') },
      { to: trainerPublic },
    ],
  },
  { from: types('test', 'bench', 'study'), allow: { to: types(...LAYERS) } },
  // Packages: the trainer needs no Temporal and no Postgres, the store no Temporal, and a workflow runs
  // in Temporal's deterministic sandbox, which offers only the workflow API.
  { from: layer('trainer'), disallow: { to: external('@temporalio/*', 'pg', 'pg-*') } },
  { from: layer('store'), disallow: { to: external('@temporalio/*') } },
  {
    from: layer('workflows'),
    disallow: [{ to: external('!@temporalio/workflow') }, { to: { module: { origin: 'core' } } }],
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
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.map((type) => ({ type, pattern: type, partialMatch: false })),
    },
    rules: { 'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, policies }] },
  },
);
