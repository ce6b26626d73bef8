import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { countCells } from '../../../sweep/cells.ts';
import { SpecError, parseSpecText, type SweepSpec } from '../../../sweep/spec.ts';

// Every input either parses or fails with a SpecError whose every issue names a place; anything else
// (a TypeError from deep inside, a zod error escaping) would reach the user as a stack trace.
function parseOrSpecError(text: string): SweepSpec | SpecError {
  try {
    return parseSpecText(text, 'fuzz.yaml', { maxCells: 10_000 });
  } catch (err) {
    if (!(err instanceof SpecError))
      throw new Error(`not a SpecError for ${JSON.stringify(text)}: ${String(err)}`);
    assert.equal(err.badInput, true);
    assert.ok(err.issues.length > 0);
    for (const issue of err.issues) {
      assert.ok(issue.path.length > 0 && issue.message.length > 0);
      assert.ok(err.message.includes(`fuzz.yaml`));
    }
    return err;
  }
}

const KEYS = [
  'name',
  'method',
  'grid',
  'fixed',
  'resources',
  'tags',
  'description',
  'queue',
  'batch_size',
  'max_in_flight',
  'snr',
  'seed',
  'n_labels',
  'n_unlabeled',
  'd',
  'lr',
  'p',
  'tau',
  'range',
  'linspace',
  'geomspace',
  'supervised',
  'simclr',
  '__proto__',
  'constructor',
  '',
];

const scalar = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 2, 3, 1e300, -1e-300, 2 ** 53 + 2),
  fc.double(),
  fc.integer({ min: -5, max: 300 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('supervised', 'simclr', 'noop', 'train-gpu', 'train-cpu', '1', ''),
  fc.string(),
);

const yamlish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 5 })), tie('value'), {
    maxKeys: 5,
  }),
})).value;

const VALID = {
  name: 'fuzz',
  method: ['supervised', 'simclr'],
  grid: {
    n_unlabeled: [25, 100],
    snr: { geomspace: [0.05, 1, 4] },
    n_labels: [4, 16],
    seed: { range: [0, 2] },
  },
  fixed: { d: 20, steps: 10 },
  resources: { queue: 'train-cpu', batch_size: 8 },
  tags: { owner: 'lab' },
};

// Plain assignment to `__proto__` would change the prototype instead of making a key.
function setOwn<T>(node: Record<string | number, unknown>, key: string | number, value: T): T {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

// A valid spec with one place (at any depth) replaced by a random value.
const mutated = fc
  .tuple(fc.array(fc.constantFrom(...KEYS, 0, 1, 2), { minLength: 1, maxLength: 3 }), yamlish)
  .map(([path, value]) => {
    const copy = structuredClone(VALID) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const segment of path.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
      node = next !== null && typeof next === 'object' ? (next as typeof node) : setOwn(node, segment, {});
    }
    setOwn(node, path[path.length - 1], value);
    return copy;
  });

test('random strings give a spec or a located SpecError, never another exception', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite', maxLength: 200 })),
      (text) => {
        parseOrSpecError(text);
      },
    ),
    { numRuns: 400 },
  );
});

test('random YAML documents give a spec or a located SpecError', () => {
  fc.assert(
    fc.property(yamlish, (doc) => {
      parseOrSpecError(stringify(doc));
    }),
    { numRuns: 400 },
  );
});

test('mutations of a valid spec give a spec (with a consistent grid) or a located SpecError', () => {
  assert.ok(!(parseOrSpecError(stringify(VALID)) instanceof SpecError));
  fc.assert(
    fc.property(mutated, (doc) => {
      const result = parseOrSpecError(stringify(doc));
      if (!(result instanceof SpecError)) assert.ok(countCells(result) <= 10_000);
    }),
    { numRuns: 600 },
  );
});

const HOSTILE = [
  "'; DROP TABLE sweeps; --",
  '"quoted" and \'single\' and `back`',
  'semi;colon; \\ backslash \n newline \t tab \r return',
  'ünïcødé — 日本語 — emoji 🧪🔥 — rtl \u202eevil\u202c — zero\u200bwidth',
  '# not a comment',
  '- not a list',
  '{not: a map}',
  '&anchor *alias',
  '!!tag',
  ':',
  '?',
  '---',
  '...',
  '   spaces   ',
  'null',
  'true',
  '0x1F',
  '1e3',
  '~',
  '%',
  '@',
  '|',
  '>',
  'x'.repeat(5000),
  '🧪'.repeat(2000),
];

test('hostile names, descriptions and tags survive verbatim', () => {
  const hostile = fc.oneof(
    fc.constantFrom(...HOSTILE),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).filter((s) => !s.includes('\u0000')),
  );
  fc.assert(
    fc.property(
      hostile,
      hostile.filter((key) => key !== '__proto__'),
      hostile,
      (name, tagKey, tagValue) => {
        const text = stringify({
          ...VALID,
          name,
          description: tagValue,
          tags: { [tagKey]: tagValue, plain: name },
        });
        const spec = parseSpecText(text, 'hostile.yaml');
        assert.equal(spec.name, name);
        assert.equal(spec.description, tagValue);
        assert.equal(spec.tags[tagKey], tagValue);
        assert.equal(spec.tags.plain, name);
      },
    ),
    { numRuns: 300 },
  );
});

test('strings a text column cannot hold are refused, naming where', () => {
  const nul = parseOrSpecError(stringify({ ...VALID, name: 'a\u0000b' }));
  assert.ok(nul instanceof SpecError);
  assert.equal(nul.issues[0].path, 'name');
  assert.match(nul.message, /NUL/);
  const proto = parseOrSpecError(`${stringify(VALID)}\n`.replace('owner: lab', '__proto__: x'));
  assert.ok(proto instanceof SpecError);
  assert.match(proto.message, /tags.*'__proto__' is reserved/);
  const surrogate = parseOrSpecError(stringify({ ...VALID, tags: { t: 'x\ud800y' } }));
  assert.ok(surrogate instanceof SpecError);
  assert.equal(surrogate.issues[0].path, 'tags.t');
});
