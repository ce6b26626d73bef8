import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cellsText } from '../../cli/views/sweep-standing.ts';
import { recentSweeps } from '../../dashboards/queries/operations.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { createSweep, getSweep, markSweepCancelled } from '../../store/sweeps.ts';
import { TRAINER_VERSION } from '../../trainer/index.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { expand } from '../helpers/dashboard-panels.ts';

// `ls`/`show` (cli/views/sweep-standing.ts) and Grafana's Operations panels give a sweep's cells one set
// of figures: here for sweeps that no worker ever registered, queued or cancelled while queued.

let stop: (() => Promise<void>) | undefined;
let pool: ReturnType<typeof createPool>;

before(async () => {
  const pg = await startTestPostgres();
  stop = pg.stop;
  await migrate(pg.url);
  pool = createPool(pg.url, { max: 2 });
});

after(async () => {
  await pool?.end();
  await stop?.();
});

test('a sweep cancelled before a worker registered it reads 0 of its grid cells in ls, show and Grafana', async () => {
  const sweep = (id: string) => ({
    id,
    name: id,
    spec: {},
    specHash: id,
    trainerVersion: TRAINER_VERSION,
    status: 'queued' as const,
    gridCells: 8,
  });
  await createSweep(pool, sweep('still-queued'));
  await createSweep(pool, sweep('cancelled-queued'));
  await markSweepCancelled(pool, 'cancelled-queued');

  const { rows } = await pool.query<{ id: string; total: number; done: number; cached: number | null }>(
    expand(recentSweeps.sql, {}),
  );
  for (const id of ['still-queued', 'cancelled-queued']) {
    const row = (await getSweep(pool, id))!;
    const cli = cellsText(row);
    const panel = rows.find((r) => r.id === id)!;
    assert.equal(cli.done, '0/8', id);
    assert.equal(`${panel.done}/${panel.total}`, cli.done, `${id}: Grafana as ls`);
    assert.equal(panel.cached, null, `${id}: cache hits not counted, ls's "-"`);
  }
});
