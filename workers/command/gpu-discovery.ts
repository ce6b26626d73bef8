import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chooseGpus, GpuChoiceError, parseGpuChoice, parseNvidiaSmiList } from '../../trainer/index.ts';

// The GPUs a worker's --gpus names, by UUID: from `nvidia-smi -L` where the driver is installed, else
// from PHASESWEEP_GPUS (comma-separated UUIDs: containers without the tool, tests).
export async function discoverGpus(flag: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const choice = parseGpuChoice(flag);
  return chooseGpus(choice, await hostGpus(env));
}

async function hostGpus(env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', ['-L'], { env, encoding: 'utf8' });
    return parseNvidiaSmiList(stdout);
  } catch (err) {
    const listed = env.PHASESWEEP_GPUS?.trim();
    if (listed) {
      const choice = parseGpuChoice(listed, 'PHASESWEEP_GPUS');
      if (choice.kind === 'uuids') return choice.uuids;
      throw new GpuChoiceError('PHASESWEEP_GPUS: expected GPU UUIDs, comma-separated');
    }
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'nvidia-smi is not installed'
        : 'nvidia-smi -L failed';
    throw new GpuChoiceError(`--gpus: ${why} and PHASESWEEP_GPUS is not set: no GPU to run on`);
  }
}
