import { parseDuration } from '../sweep/duration.ts';
import { HEARTBEAT_TIMEOUT_RANGE, inHeartbeatTimeoutRange } from '../sweep/spec-schema.ts';
import { BadInputError } from './exit.ts';

export const HEARTBEAT_TIMEOUT_ENV = 'PHASESWEEP_HEARTBEAT_TIMEOUT';

// A worker's default heartbeat timeout, from `--heartbeat-timeout` or else the environment; undefined
// when neither is set. Same grammar and bounds as the spec's resources.heartbeat_timeout.
export function heartbeatTimeoutSetting(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const [source, text] =
    flag !== undefined ? ['--heartbeat-timeout', flag] : [HEARTBEAT_TIMEOUT_ENV, env[HEARTBEAT_TIMEOUT_ENV]];
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text, source);
  if (!inHeartbeatTimeoutRange(ms)) {
    throw new BadInputError(`${source}: expected ${HEARTBEAT_TIMEOUT_RANGE}, got ${JSON.stringify(text)}`);
  }
  return ms;
}
