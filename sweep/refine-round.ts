// One round of `refine:` over a whole sweep: cells are grouped (every coordinate but the refined axis
// and the seed), each group is planned (refine-plan.ts), and the planned axis values become ordinary
// cells, one per seed the group already has. Pure, so a retried round plans exactly the same cells.
import { parseCellParams, type CellParams } from '../trainer/index.ts';
import { AXES, type Axis } from './axes.ts';
import { canonicalJson } from './canonical-json.ts';
import { cellKey, normalizeParams, type Cell } from './cells.ts';
import { refineSettings } from './refine-axis.ts';
import { planGroup, type Bracket, type BoundaryKind } from './refine-plan.ts';
import type { RefineSpec } from './refine-schema.ts';
import type { SweepSpec } from './spec-schema.ts';

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
  brackets: Bracket[];
  openBrackets: number;
  // Refinement rounds that added cells to this group, and the group's cells so far.
  rounds: number;
  cells: number;
  // The axis range with a mean: where "no boundary in range" was looked for.
  range: [number, number] | null;
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

function groupAxes(spec: SweepSpec, axis: Axis): Axis[] {
  return AXES.filter((a) => a !== axis && a !== 'seed' && spec.grid[a] !== undefined);
}

function groupOf(params: CellParams, axis: Axis): string {
  const rest: Partial<CellParams> = { ...params };
  delete rest[axis];
  delete rest.seed;
  return canonicalJson(rest);
}

// Plans round `round` from the observations of the rounds before it; with `register` false only the
// boundaries are computed (the last round, or max_rounds reached).
export function planRound(spec: RefinedSpec, observations: RoundObservation[], register: boolean): RoundPlan {
  const settings = refineSettings(spec);
  const { axis } = settings;
  const groups = new Map<string, Group>();
  for (const o of observations) {
    const key = groupOf(o.params, axis);
    const group = groups.get(key);
    if (group) group.observations.push(o);
    else groups.set(key, { key, params: o.params, observations: [o] });
  }
  const named = groupAxes(spec, axis);
  const boundaries: GroupBoundary[] = [];
  const cells: Omit<Cell, 'ordinal'>[] = [];
  const seen = new Set<string>();
  for (const group of [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const plan = planGroup(
      group.observations.map((o) => ({ value: o.params[axis] as number, metric: o.metric })),
      settings,
    );
    const first = plan.brackets[0];
    const values: GroupValues = { method: group.params.method };
    for (const a of named) {
      const value = group.params[a];
      if (typeof value === 'number' || typeof value === 'string') values[a] = value;
      else if (typeof value === 'boolean') values[a] = String(value);
    }
    boundaries.push({
      groupKey: group.key,
      group: values,
      kind: plan.kind,
      crossing: first ? first.crossing : null,
      bracket: first ? [first.low, first.high] : null,
      brackets: plan.brackets,
      openBrackets: plan.brackets.filter((b) => b.open).length,
      rounds: new Set(group.observations.map((o) => o.round).filter((r) => r > 0)).size,
      cells: group.observations.length,
      range: plan.range,
    });
    if (!register) continue;
    const seeds = [...new Set(group.observations.map((o) => o.params.seed))].sort((a, b) => a - b);
    for (const value of plan.newValues) {
      for (const seed of seeds) {
        const params = normalizeParams(parseCellParams({ ...group.params, [axis]: value, seed }));
        const key = cellKey(params);
        if (seen.has(key)) continue;
        seen.add(key);
        cells.push({ key, params });
      }
    }
  }
  return { boundaries, cells };
}
