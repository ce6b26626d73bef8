import { MAX_HEARTBEAT_TIMEOUT_S } from '../sweep/spec-schema.ts';
import { parseDuration } from './duration.ts';
import { BadInputError } from './exit.ts';

export const HEARTBEAT_TIMEOUT_ENV = 'PHASESWEEP_HEARTBEAT_TIMEOUT';

// A worker's default heartbeat timeout, from `--heartbeat-timeout` or else the environment; undefined
// when neither is set. Same bounds as the spec's resources.heartbeat_timeout.
export function heartbeatTimeoutSetting(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const [source, text] =
    flag !== undefined ? ['--heartbeat-timeout', flag] : [HEARTBEAT_TIMEOUT_ENV, env[HEARTBEAT_TIMEOUT_ENV]];
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text, source);
  if (ms < 1_000 || ms > MAX_HEARTBEAT_TIMEOUT_S * 1_000) {
    throw new BadInputError(
      `${source}: expected between 1s and ${MAX_HEARTBEAT_TIMEOUT_S / 3_600}h, got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}
