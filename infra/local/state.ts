import { existsSync, readFileSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { join } from 'node:path';

// What `up` leaves behind for `status`, `down` and other processes. Holds the Postgres superuser
// password, hence mode 0600.
export interface StackState {
  postgres?: { port: number; password: string; pid?: number };
  temporal?: { port: number; uiPort: number; namespace: string; binary: string; pid?: number };
}

export function statePath(home: string): string {
  return join(home, 'state.json');
}

export function readState(home: string): StackState {
  const path = statePath(home);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StackState;
  } catch (err) {
    throw new Error(
      `state file ${path} is not valid JSON (${(err as Error).message}); delete it and run \`phasesweep up\``,
    );
  }
}

export function writeState(home: string, state: StackState): void {
  const path = statePath(home);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
