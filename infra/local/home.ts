import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomeChoice {
  home: string;
  notice?: string;
}

// A per-user state directory (XDG convention), so that `phasesweep` run from any folder finds the same
// stack. A ./.phasesweep left by older versions in the current folder still holds a stack (maybe running),
// so it is used as is rather than moved under a live Postgres; the notice says how to move it.
export function resolveHome(
  env: NodeJS.ProcessEnv,
  cwd: string,
  userHome: string,
  exists: (path: string) => boolean = existsSync,
): HomeChoice {
  if (env.PHASESWEEP_HOME) return { home: resolve(cwd, env.PHASESWEEP_HOME) };
  const stateDir = env.XDG_STATE_HOME ? resolve(env.XDG_STATE_HOME) : join(userHome, '.local', 'state');
  const home = join(stateDir, 'phasesweep');
  const legacy = join(cwd, '.phasesweep');
  if (legacy === home || !exists(legacy)) return { home };
  return {
    home: legacy,
    notice: `note: using ${legacy} from an older phasesweep; the default is now ${home}: run \`phasesweep down\`, then move it there (mv ${legacy} ${home}) or set PHASESWEEP_HOME`,
  };
}

let noticeShown = false;

export function phasesweepHome(): string {
  const chosen = resolveHome(process.env, process.cwd(), homedir());
  if (chosen.notice && !noticeShown) {
    noticeShown = true;
    console.error(chosen.notice);
  }
  return chosen.home;
}

// World-traversable (0755) because, as root, Postgres runs as the `postgres` user and must reach pg/ inside.
// Secrets in here live in files of their own with mode 0600.
export function ensureHome(home: string): void {
  try {
    mkdirSync(home, { recursive: true, mode: 0o755 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      EEXIST: 'a file is in the way',
      ENOTDIR: 'a file is in the way',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'read-only file system',
    };
    if (code === undefined || !(code in why)) throw err;
    throw Object.assign(new Error(`cannot use ${home} as the state folder (PHASESWEEP_HOME): ${why[code]}`), {
      badInput: true,
    });
  }
}
