import { Document, isSeq, visit } from 'yaml';
import { METHOD } from '../trainer/index.ts';
import { PLANS, REGIME_PARAMS, type Mode, type Regime, type StudyGrid } from './design.ts';

/** The sweep of one grid in one regime: every variant at every candidate rate, reported and selection seeds. */
export function studySpec(grid: StudyGrid, regime: Regime, mode: Mode): Record<string, unknown> {
  const plan = PLANS[mode];
  return {
    name: sweepName(grid, regime, mode),
    description: `SimCLR design-choice study (npm run study:simclr${mode === 'quick' ? ' -- --quick' : ''}): ${grid.name}, ${regime} regime`,
    method: METHOD.simclr,
    grid: {
      ...grid.axes,
      snr: plan.snrs,
      pretrain_lr: plan.lrs[regime][grid.similarity],
      seed: [...plan.seeds, ...plan.selectionSeeds],
    },
    fixed: { ...plan.common, ...REGIME_PARAMS[regime], ...grid.fixed },
    resources: { queue: 'train-cpu' },
    tags: { study: 'simclr-design', grid: grid.name, regime },
  };
}

export function sweepName(grid: StudyGrid, regime: Regime, mode: Mode): string {
  return `study-${grid.name}-${regime}${mode === 'quick' ? '-quick' : ''}`;
}

// Lists on one line, as the examples write them.
export function specYaml(spec: Record<string, unknown>): string {
  const doc = new Document(spec);
  visit(doc, (_, node) => {
    if (isSeq(node)) node.flow = true;
  });
  return `# Written by npm run study:simclr; edit study/design.ts instead.\n${doc.toString({ lineWidth: 110, flowCollectionPadding: false, singleQuote: true })}`;
}
