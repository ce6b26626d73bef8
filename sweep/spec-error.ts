export type SpecPath = (string | number)[];

export interface SpecIssue {
  // Where in the spec, e.g. `grid.snr.geomspace[2]`; `(root)` for the document itself.
  path: string;
  line?: number;
  col?: number;
  message: string;
}

export function formatSpecPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

// An invalid sweep spec. Carries every problem found, each with its place in the file, so a user can
// fix them all in one go; `badInput` makes the CLI exit with code 2.
export class SpecError extends Error {
  readonly badInput = true;
  readonly file: string;
  readonly issues: SpecIssue[];

  constructor(file: string, issues: SpecIssue[]) {
    super(
      issues
        .map((issue) => {
          const at = issue.line === undefined ? file : `${file}:${issue.line}:${issue.col}`;
          return `${at}: ${issue.path}: ${issue.message}`;
        })
        .join('\n'),
    );
    this.name = 'SpecError';
    this.file = file;
    this.issues = issues;
  }
}
