// Grafana's Postgres macros and template-variable syntax, expanded the way the datasource does it, so
// that tests can execute panel SQL outside Grafana.

export interface TimeRange {
  from: Date;
  to: Date;
}

export type VariableValues = Record<string, string | readonly string[]>;

const VARIABLE = /\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g;

// Names of dashboard variables a SQL text refers to ($__ names are Grafana's own).
export function variablesIn(sql: string): string[] {
  const names = new Set<string>();
  for (const m of sql.matchAll(VARIABLE)) {
    const name = m[1] ?? m[3] ?? m[5]!;
    if (!name.startsWith('__')) names.add(name);
  }
  return [...names];
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

export function intervalSeconds(interval: string): number {
  const m = /^'?\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)\s*'?$/.exec(interval.trim());
  if (!m) throw new Error(`not a Grafana interval: ${interval}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

// Splits a macro's argument list on top-level commas.
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

// Finds `$__name(` ... matching `)` and lets `expand` rewrite it.
function replaceMacro(sql: string, name: string, expand: (args: string[]) => string): string {
  const token = `$__${name}(`;
  let out = '';
  let rest = sql;
  for (let at = rest.indexOf(token); at >= 0; at = rest.indexOf(token)) {
    let depth = 1;
    let end = at + token.length;
    for (; end < rest.length && depth > 0; end++) {
      if (rest[end] === '(') depth++;
      if (rest[end] === ')') depth--;
    }
    if (depth !== 0) throw new Error(`unbalanced parentheses in $__${name}(...)`);
    out += rest.slice(0, at) + expand(splitArgs(rest.slice(at + token.length, end - 1)));
    rest = rest.slice(end);
  }
  return out + rest;
}

function sqlTimestamp(d: Date): string {
  return `'${d.toISOString()}'`;
}

const sqlString = (v: string): string => `'${v.replace(/'/g, "''")}'`;

function formatValue(value: string | readonly string[], format: string | undefined): string {
  if (typeof value !== 'string') {
    // Multi-value variables: the Postgres datasource quotes each value and joins them with commas.
    if (format === 'raw') return value.join(',');
    return value.map(sqlString).join(',');
  }
  // A single value goes in as it is, unless the query asks for a quoted literal.
  return format === 'sqlstring' ? sqlString(value) : value;
}

export function interpolate(
  sql: string,
  ctx: { range: TimeRange; interval: string; variables: VariableValues },
): string {
  const { from, to } = ctx.range;
  let out = sql
    .replace(/\$__interval_ms\b/g, String(Math.round(intervalSeconds(ctx.interval) * 1000)))
    .replace(/\$__interval\b/g, ctx.interval);
  out = replaceMacro(
    out,
    'timeFilter',
    ([col]) => `${col} BETWEEN ${sqlTimestamp(from)} AND ${sqlTimestamp(to)}`,
  );
  out = replaceMacro(out, 'timeFrom', () => sqlTimestamp(from));
  out = replaceMacro(out, 'timeTo', () => sqlTimestamp(to));
  out = replaceMacro(out, 'unixEpochFilter', ([col]) => {
    const f = Math.floor(from.getTime() / 1000);
    const t = Math.floor(to.getTime() / 1000);
    return `${col} >= ${f} AND ${col} <= ${t}`;
  });
  const timeGroup = ([col, interval]: string[]) => {
    const s = intervalSeconds(interval ?? ctx.interval);
    return `floor(extract(epoch from ${col})/${s})*${s}`;
  };
  out = replaceMacro(out, 'timeGroupAlias', (args) => `${timeGroup(args)} AS "time"`);
  out = replaceMacro(out, 'timeGroup', timeGroup);
  if (out.includes('$__')) {
    throw new Error(`unsupported Grafana macro in: ${/\$__\w+/.exec(out)?.[0]}`);
  }
  return out.replace(VARIABLE, (whole, n1?: string, f1?: string, n3?: string, f3?: string, n5?: string) => {
    const name = (n1 ?? n3 ?? n5)!;
    const value = ctx.variables[name];
    if (value === undefined) throw new Error(`variable ${whole} has no value`);
    return formatValue(value, f1 ?? f3);
  });
}
