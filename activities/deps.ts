import type pg from 'pg';
import type { CommandRunner } from './command-runner.ts';

// What every activity needs from the worker process that hosts it.
export interface ActivityDeps {
  pool: pg.Pool;
  // Stored with each result: which worker process trained it.
  workerId: string;
  // The worker operator's default heartbeat timeout for sweeps whose spec sets none.
  heartbeatTimeoutMs?: number;
  // The largest grid this worker expands (its PHASESWEEP_MAX_CELLS).
  maxCells?: number;
  // Runs `method: command` cells; a worker without it refuses them.
  commands?: CommandRunner;
}
