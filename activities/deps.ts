import type pg from 'pg';

// What every activity needs from the worker process that hosts it.
export interface ActivityDeps {
  pool: pg.Pool;
  // Stored with each result: which worker process trained it.
  workerId: string;
}
