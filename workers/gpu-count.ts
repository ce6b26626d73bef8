import { spawnSync } from 'node:child_process';

// GPUs this host offers: PHASESWEEP_GPUS if set (a count, or the GPUs' UUIDs, for hosts without
// nvidia-smi on PATH), else the lines of `nvidia-smi -L`, else 0.
export function gpuCount(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.PHASESWEEP_GPUS?.trim();
  if (configured) {
    // `worker --gpus` reads it as GPU UUIDs: a list of them counts as many GPUs.
    if (/^(GPU|MIG)-/.test(configured)) return configured.split(',').filter((u) => u.trim()).length;
    const n = Number(configured);
    if (!Number.isInteger(n) || n < 0) {
      throw Object.assign(new Error(`PHASESWEEP_GPUS must be a whole number >= 0, got '${configured}'`), {
        badInput: true,
      });
    }
    return n;
  }
  const probe = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0 || !probe.stdout) return 0;
  return probe.stdout.split('\n').filter((line) => line.startsWith('GPU ')).length;
}
