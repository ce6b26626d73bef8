import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('boundaries <sweep>')
    .description(
      "compute a refined sweep's boundaries again from its stored results (crossings, 95% intervals over seeds, slopes), store and print them",
    )
    .addHelpText(
      'after',
      '\nThe refine rounds store them as they go; run this for a sweep refined by an older version.\n\nExample:\n  $ phasesweep boundaries refine-supervised --json',
    )
    .option('--json', 'print {sweep_id, boundaries, boundary_slopes} as show --json has them')
    .action(async (idOrName: string, opts: { json?: boolean }) => {
      const { requireSweep, withStore } = await import('../store-session.ts');
      const { BadInputError } = await import('../exit.ts');
      const { ALL_ROUNDS, storeBoundaries } = await import('../../activities/store-boundaries.ts');
      const { sweepBoundaries, sweepBoundarySlopes } = await import('../../store/boundaries.ts');
      const { boundariesJson, boundarySlopes, renderBoundaries, sweepQ } =
        await import('../views/boundaries.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const spec = sweep.spec as Parameters<typeof storeBoundaries>[2] | null;
        if (!spec?.refine) {
          throw new BadInputError(
            `sweep ${sweep.id} has no refine: section: its crossings are the ones \`show\` estimates per panel`,
          );
        }
        await storeBoundaries(pool, sweep.id, spec, ALL_ROUNDS, false);
        const records = await sweepBoundaries(pool, sweep.id);
        const slopes = boundarySlopes(await sweepBoundarySlopes(pool, sweep.id), sweepQ(sweep.spec));
        if (opts.json) {
          const json = { sweep_id: sweep.id, boundaries: boundariesJson(records), boundary_slopes: slopes };
          console.log(JSON.stringify(json, null, 2));
        } else {
          console.log(renderBoundaries(records, slopes));
        }
      });
    });
}
