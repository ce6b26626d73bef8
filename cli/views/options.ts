import { InvalidArgumentError, type Command } from 'commander';
import { RESULT_METRICS } from '../../trainer/index.ts';
import { BOUNDARY_THRESHOLD } from './boundary-fit.ts';

// Option parsers for commander: a bad value is reported by commander and exits 2.
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

export function parseNonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got '${value}'`);
  return n;
}

export function parseProbability(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1)
    throw new InvalidArgumentError(`expected a number between 0 and 1 (exclusive), got '${value}'`);
  return n;
}

export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** What a view draws, as typed on the command line; checked against the trainer's lists when it runs. */
export interface DrawFlags {
  x?: string;
  y?: string;
  facet?: string[];
  metric?: string;
  threshold: number;
}

// The axis and metric names are checked against the sweep's points when the command runs
// (cli/views/view-axes.ts checkAxes, metric-choice.ts): a program's parameters and metrics have any names.
export function addDrawOptions(command: Command): Command {
  return command
    .option('--x <param>', 'trainer parameter on the x axis (default: snr when it varies)')
    .option(
      '--y <param>',
      "trainer parameter on the y axis (default: the method's sample size, n_labels or SimCLR's n_unlabeled, when it varies)",
    )
    .option(
      '--facet <params>',
      'parameters that split the panels, in this order (comma-separated or repeated); other varying parameters follow',
      collect,
    )
    .option(
      '--metric <name>',
      `metric to draw: ${RESULT_METRICS.join(', ')}, or any metric a command sweep's results carry (default: test_error, or the first of command.metrics)`,
    )
    .option(
      '--threshold <value>',
      'metric level whose crossing is drawn as the boundary',
      parseFiniteNumber,
      BOUNDARY_THRESHOLD,
    );
}
