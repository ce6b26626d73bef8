// One round of `refine:` over a whole sweep: cells are grouped (every coordinate but the refined axis
// and the seed), each group is planned (refine-plan.ts), and the planned axis values become ordinary
// cells, with the seeds of the bracket they split. With `seeds`, a group whose bracket is settled gets
// seeds beside its crossing (refine-seeds.ts); with `trace`, rows are added between rows whose
// crossings are far apart, and an added row is widened where its resamples cross beyond its first
// values (refine-trace.ts). Pure, so a retried round plans exactly the same cells.
import { headDim, parseCellParams, pretrainBatch, type CellParams } from '../trainer/index.ts';
import { AXES, type Axis } from './axes.ts';
import { canonicalJson } from './canonical-json.ts';
import { cellKey, normalizeParams, type Cell } from './cells.ts';
import { commandIdentity, isCommandSpec } from './command-sweep.ts';
import { crossingInterval, type CrossingInterval } from './crossing-interval.ts';
import { refineSettings, traceSettings } from './refine-axis.ts';
import { innerValues, planGroup, type Bracket, type BoundaryKind, type Observation } from './refine-plan.ts';
import type { RefineSpec } from './refine-schema.ts';
import { planSeeds } from './refine-seeds.ts';
import { planTrace, planWidening, type TraceRow } from './refine-trace.ts';
import type { SweepSpec } from './spec-schema.ts';
import { axisValues } from './values.ts';

export type RefinedSpec = SweepSpec & { refine: RefineSpec };

// A stored cell with the round that added it (0: the grid) and its metric (null: none yet, diverged).
export interface RoundObservation {
  params: CellParams;
  round: number;
  metric: number | null;
}

// A group's coordinates by name: the method and every other grid axis.
export type GroupValues = Record<string, string | number>;

export interface GroupBoundary {
  groupKey: string;
  group: GroupValues;
  kind: BoundaryKind;
  // The first crossing along the axis and its bracket; null without a crossing.
  crossing: number | null;
  bracket: [number, number] | null;
  // The crossing's bootstrap interval over the group's seeds (sweep/crossing-interval.ts), computed
  // once per round: the planner reads it, and the stored estimate (boundary-estimate.ts) takes it as is.
  ci95: [number, number] | null;
  seeds: number;
  interval: CrossingInterval;
  brackets: Bracket[];
  openBrackets: number;
  // Refinement rounds that added cells to this group, and the group's cells so far.
  rounds: number;
  cells: number;
  // The axis range with a mean: where "no boundary in range" was looked for.
  range: [number, number] | null;
  // A row refine.trace added (its value on the traced axis is not one of the grid's).
  traced: boolean;
}

export interface RoundPlan {
  boundaries: GroupBoundary[];
  cells: Omit<Cell, 'ordinal'>[];
}

interface Group {
  key: string;
  params: CellParams;
  observations: RoundObservation[];
}

// The trainer's axes in its order, then a program's own (`method: command`) in the grid's.
function groupAxes(spec: SweepSpec, axis: Axis): Axis[] {
  const own = Object.keys(spec.grid).filter((a) => !(AXES as string[]).includes(a)) as Axis[];
  return [...AXES, ...own].filter((a) => a !== axis && a !== 'seed' && spec.grid[a] !== undefined);
}

function keyWithout(params: CellParams, axes: Axis[]): string {
  const rest: Partial<CellParams> = { ...params };
  for (const a of axes) delete rest[a];
  delete rest.seed;
  return canonicalJson(rest);
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function groupValues(params: CellParams, named: Axis[]): GroupValues {
  const values: GroupValues = { method: params.method };
  for (const a of named) {
    const value = params[a];
    if (typeof value === 'number' || typeof value === 'string') values[a] = value;
    else if (typeof value === 'boolean') values[a] = String(value);
  }
  return values;
}

// normalizeParams drops a width equal to its default, which follows another parameter (the batch
// follows n_unlabeled, the head follows m). Where the spec sets the width, it is written out, so that
// rows of a family compare equal, and new cells keep the spec's width where the other one changes.
function explicitWidths(params: CellParams, spec: SweepSpec): CellParams {
  const set = (axis: Axis) => spec.grid[axis] !== undefined || spec.fixed[axis] !== undefined;
  const out = { ...params };
  if (set('pretrain_batch')) out.pretrain_batch = pretrainBatch(params);
  if (set('head_dim')) out.head_dim = headDim(params);
  return out;
}

// The group a cell belongs to: every coordinate but the refined axis and the seed, widths as the spec
// sets them (a row along n_unlabeled with a fixed batch is one group, though its cell at n_unlabeled =
// batch has the batch normalised away).
export function groupKeyOf(spec: SweepSpec, params: CellParams, axis: Axis): string {
  return keyWithout(explicitWidths(params, spec), [axis]);
}

// Plans round `round` from the observations of the rounds before it; with `register` false only the
// boundaries are computed (the last round, or max_rounds reached). `bootstrap`: the crossing
// interval's resamples and generator seed (crossing-interval.ts's defaults otherwise).
export function planRound(
  spec: RefinedSpec,
  observations: RoundObservation[],
  register: boolean,
  bootstrap: { resamples?: number; seed?: number } = {},
): RoundPlan {
  const settings = refineSettings(spec);
  const { axis } = settings;
  const trace = traceSettings(spec);
  const gridRows = trace ? new Set(axisValues(spec.grid[trace.axis]!) as number[]) : undefined;
  const groups = new Map<string, Group>();
  for (const o of observations) {
    const key = groupKeyOf(spec, o.params, axis);
    const group = groups.get(key);
    if (group) group.observations.push(o);
    else groups.set(key, { key, params: o.params, observations: [o] });
  }
  const named = groupAxes(spec, axis);
  const boundaries: GroupBoundary[] = [];
  const cells: Omit<Cell, 'ordinal'>[] = [];
  // Keys are computed only when cells are planned: estimating boundaries needs none.
  // A program's cells are stored without its identity (argv, env, code hash: the sweep's, hashed when
  // it was registered), which their keys hold: it is put back here, when cells are planned.
  const identity = register && isCommandSpec(spec) ? { command: commandIdentity(spec) } : {};
  const seen = new Set(register ? observations.map((o) => cellKey({ ...o.params, ...identity })) : []);
  const add = (base: CellParams, value: number, seeds: Iterable<number>) => {
    for (const seed of seeds) {
      const params = normalizeParams(
        parseCellParams({ ...explicitWidths(base, spec), [axis]: value, seed, ...identity }),
      );
      const key = cellKey(params);
      if (seen.has(key)) continue;
      seen.add(key);
      cells.push({ key, params });
    }
  };
  const gridSeeds = [...new Set(observations.filter((o) => o.round === 0).map((o) => o.params.seed))].sort(
    (a, b) => a - b,
  );
  const families = new Map<string, { key: string; base: CellParams; rows: TraceRow[] }>();
  for (const group of [...groups.values()].sort(byKey)) {
    const observed: (Observation & { seed: number })[] = group.observations.map((o) => ({
      value: o.params[axis] as number,
      seed: o.params.seed,
      metric: o.metric,
    }));
    const plan = planGroup(observed, settings);
    const interval = crossingInterval(
      observed.map((o) => ({ at: o.value, seed: o.seed, value: o.metric })),
      { threshold: settings.threshold, scale: settings.scale, ...bootstrap },
    );
    const first = plan.brackets[0];
    const row = trace ? (group.params[trace.axis] as number) : undefined;
    const boundary: GroupBoundary = {
      groupKey: group.key,
      group: groupValues(group.params, named),
      kind: plan.kind,
      crossing: first ? first.crossing : null,
      bracket: first ? [first.low, first.high] : null,
      ci95: interval.ci95,
      seeds: interval.seeds,
      interval,
      brackets: plan.brackets,
      openBrackets: plan.brackets.filter((b) => b.open).length,
      rounds: new Set(group.observations.map((o) => o.round).filter((r) => r > 0)).size,
      cells: group.observations.length,
      range: plan.range,
      traced: row !== undefined && !gridRows!.has(row),
    };
    boundaries.push(boundary);
    if (trace && row !== undefined) {
      const base = explicitWidths(group.params, spec);
      const key = keyWithout(base, [axis, trace.axis]);
      const family = families.get(key) ?? { key, base, rows: [] };
      const interval95 = boundary.ci95 ?? boundary.bracket;
      family.rows.push({
        row,
        kind: plan.kind,
        crossing: boundary.crossing,
        settled: boundary.openBrackets === 0,
        traced: boundary.traced,
        values: [...new Set(observed.map((o) => o.value))].sort((x, y) => x - y),
        beyond:
          plan.kind === 'crossing'
            ? { low: interval.pastEnds.low > 0, high: interval.pastEnds.high > 0 }
            : { low: true, high: true },
        interval:
          interval95 && boundary.bracket
            ? [Math.min(interval95[0], boundary.bracket[0]), Math.max(interval95[1], boundary.bracket[1])]
            : null,
      });
      families.set(key, family);
    }
    if (!register) continue;
    const seedsAt = (value: number) => observed.filter((o) => o.value === value).map((o) => o.seed);
    for (const b of plan.brackets.filter((b) => b.open)) {
      const seeds = new Set([...seedsAt(b.low), ...seedsAt(b.high)]);
      for (const value of innerValues(b.low, b.high, settings.points, settings.scale, settings.integer)) {
        add(
          group.params,
          value,
          [...seeds].sort((x, y) => x - y),
        );
      }
    }
    if (spec.refine.seeds && plan.kind === 'crossing' && boundary.openBrackets === 0) {
      const { max, ci_width: ciWidth } = spec.refine.seeds;
      for (const a of planSeeds(observed, first!, boundary.ci95, { max, ciWidth, scale: settings.scale })) {
        add(group.params, a.value, a.seeds);
      }
    }
  }
  if (register && trace) {
    // The round planned here follows the last stored one (every round until the end adds cells).
    const planned = observations.reduce((r, o) => Math.max(r, o.round), 0) + 1;
    const lastRound = planned >= spec.refine.max_rounds;
    for (const family of [...families.values()].sort(byKey)) {
      const atRow = (row: number) => ({ ...family.base, [trace.axis]: row });
      for (const traced of planTrace(family.rows, trace, lastRound)) {
        for (const value of traced.values) add(atRow(traced.row), value, gridSeeds);
      }
      const widened = planWidening(family.rows, trace);
      for (const w of widened) for (const value of w.values) add(atRow(w.row), value, gridSeeds);
      // A traced row that misses the crossing with nothing left to widen to starts over from the grid's
      // values.
      for (const r of family.rows) {
        const missed = r.kind === 'all_above' || r.kind === 'all_below';
        if (!r.traced || !missed || widened.some((w) => w.row === r.row)) continue;
        for (const value of axisValues(spec.grid[axis]!) as number[]) add(atRow(r.row), value, gridSeeds);
      }
    }
  }
  return { boundaries, cells };
}
