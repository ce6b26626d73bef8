import { BACKEND_NAMES, type BackendName } from '../trainer/index.ts';
import { BadInputError } from './exit.ts';

export const BACKEND_ENV = 'PHASESWEEP_BACKEND';

// The training backend of a worker (standalone or `run`'s in-process one): `--backend`, which commander
// has checked, else the environment, checked here so that a typo is refused at start-up under its own
// name rather than failing every batch later as if it came from a flag.
export function backendSetting(
  flag: BackendName | undefined,
  env: NodeJS.ProcessEnv = process.env,
): BackendName {
  if (flag !== undefined) return flag;
  const text = env[BACKEND_ENV];
  if (text === undefined || text === '') return 'auto';
  const known = BACKEND_NAMES.find((name) => name === text);
  if (known === undefined) {
    throw new BadInputError(`${BACKEND_ENV}: expected one of ${BACKEND_NAMES.join(', ')}, got "${text}"`);
  }
  return known;
}
