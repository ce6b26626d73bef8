import type { $ZodIssue } from 'zod/v4/core';

// The validator's issues in the words of a spec's author: "expected a whole number, got 1.5" rather
// than zod's "Invalid input: expected int, received number".

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

// The value at a path inside parsed YAML, or undefined when the path leaves the document.
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function bound(kind: 'least' | 'most', limit: unknown, inclusive: boolean | undefined): string {
  if (inclusive === false) return `${kind === 'least' ? 'greater' : 'less'} than ${String(limit)}`;
  return `at ${kind} ${String(limit)}`;
}

// zod's own wording starts like this; a message a schema sets itself is already in our words.
const VALIDATOR_WORDING = /^(Invalid input|Invalid option|Too small|Too big)/;

/** A one-line message for an issue about `value`; issues it does not know keep the validator's text. */
export function humanIssue(issue: $ZodIssue, value: unknown): string {
  if (!VALIDATOR_WORDING.test(issue.message)) return issue.message;
  const got = `got ${describeValue(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, ${got}`;
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `expected a number ${bound('least', issue.minimum, issue.inclusive)}, ${got}`
        : `expected ${bound('least', issue.minimum, true)} ${issue.origin === 'string' ? 'characters' : 'values'}`;
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `expected a number ${bound('most', issue.maximum, issue.inclusive)}, ${got}`
        : `expected ${bound('most', issue.maximum, true)} ${issue.origin === 'string' ? 'characters' : 'values'}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.join(', ')}`}, ${got}`;
    default:
      return issue.message;
  }
}
