// The cell limit guards memory and the store against a typo such as a linspace of 1e9 values.
export const DEFAULT_MAX_CELLS = 1_000_000;

export class GridTooLargeError extends Error {
  readonly badInput = true;
}

export function gridTooLargeMessage(cells: number, limit: number): string {
  const size = Number.isFinite(cells) ? String(cells) : 'too many';
  return (
    `the grid has ${size} cells, more than the limit of ${limit}: use fewer values on an axis, or split ` +
    `the grid into several specs, or raise the limit with the environment variable PHASESWEEP_MAX_CELLS`
  );
}
