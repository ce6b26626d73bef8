// The program's environment: the worker's own, minus what is the worker's business (its database and
// Temporal connection, phasesweep's settings), plus the spec's `env:` and the protocol's variables.
const WORKER_ONLY =
  /^(DATABASE_URL$|PG[A-Z]+$|TEMPORAL_|PHASESWEEP_|CUDA_VISIBLE_DEVICES$|CUDA_DEVICE_ORDER$)/;

export function programEnv(
  base: NodeJS.ProcessEnv,
  listed: Readonly<Record<string, string>>,
  protocol: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base))
    if (value !== undefined && !WORKER_ONLY.test(name)) env[name] = value;
  return { ...env, ...listed, ...protocol };
}
