import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, generatePassword, startPostgres, stopPostgres } from '../../infra/local/postgres.ts';
import { freePort } from '../../infra/local/ports.ts';

// A fresh embedded Postgres (own temp dir, free port, own password) for one store test file.
export async function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'phasesweep-pg-test-'));
  // mkdtemp makes it 0700; as root, initdb and postgres run as the `postgres` user and must get in.
  chmodSync(home, 0o755);
  const password = generatePassword();
  let pid: number | undefined;
  const stop = async () => {
    await stopPostgres(home, pid);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    pid = await startPostgres(home, port, password);
    return { url: databaseUrl(port, password), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
