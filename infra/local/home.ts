import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export function phasesweepHome(): string {
  return resolve(process.env.PHASESWEEP_HOME || '.phasesweep');
}

// World-traversable (0755) because, as root, Postgres runs as the `postgres` user and must reach pg/ inside.
// Secrets in here live in files of their own with mode 0600.
export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o755 });
}
