// Worker "hosts" as Linux network namespaces: each gets a veth pair whose host end sits on one bridge
// that carries the servers' address, so a host can be cut off (its link set down) while its process
// keeps running. Only a private /24 chosen here is used, and everything made is deleted by remove(),
// also when the test process exits early. Where namespaces cannot be made (not root, no CAP_NET_ADMIN,
// no `ip`), hosts are plain processes on 127.0.0.1 and `reason` says why.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

export interface WorkerNetwork {
  // The address servers listen on and every host reaches.
  serverIp: string;
  // A CIDR for pg_hba.conf, when hosts come from outside 127.0.0.1.
  hostSubnet?: string;
  // Set when hosts are plain processes: why namespaces could not be made.
  reason?: string;
  // The argv prefix that runs a command on host i.
  launcher(i: number): string[];
  cut(i: number): void;
  restore(i: number): void;
  remove(): void;
}

function ip(args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? run.error?.message ?? ''}` };
}

function must(args: string[]): void {
  const run = ip(args);
  if (!run.ok) throw new Error(`ip ${args.join(' ')}: ${run.output.trim()}`);
}

// A 10.213.X.0/24 that no interface of this machine uses yet.
function freeSubnet(): string {
  const used = ip(['-4', '-o', 'addr']).output;
  for (;;) {
    const prefix = `10.213.${randomInt(1, 255)}`;
    if (!used.includes(`${prefix}.`)) return prefix;
  }
}

export function makeWorkerNetwork(hosts: number): WorkerNetwork {
  const plain = (reason: string): WorkerNetwork => ({
    serverIp: '127.0.0.1',
    reason,
    launcher: () => [],
    cut: () => {
      throw new Error(`worker hosts are plain processes (${reason}): they cannot be cut off`);
    },
    restore: () => undefined,
    remove: () => undefined,
  });
  if (process.platform !== 'linux') return plain('network namespaces need Linux');
  if (process.getuid?.() !== 0) return plain('network namespaces need root');
  const tag = randomBytes(2).toString('hex');
  const prefix = freeSubnet();
  const bridge = `psw${tag}br`;
  const namespaces: string[] = [];
  const hostEnd = (i: number) => `psw${tag}h${i}`;
  const remove = () => {
    for (const ns of namespaces.splice(0)) ip(['netns', 'del', ns]);
    ip(['link', 'del', bridge]);
    process.off('exit', remove);
  };
  process.on('exit', remove);
  try {
    must(['link', 'add', bridge, 'type', 'bridge']);
    must(['addr', 'add', `${prefix}.1/24`, 'dev', bridge]);
    must(['link', 'set', bridge, 'up']);
    for (let i = 0; i < hosts; i++) {
      const ns = `psw${tag}n${i}`;
      must(['netns', 'add', ns]);
      namespaces.push(ns);
      must(['link', 'add', hostEnd(i), 'type', 'veth', 'peer', 'name', `psw${tag}c${i}`]);
      must(['link', 'set', `psw${tag}c${i}`, 'netns', ns]);
      must(['link', 'set', hostEnd(i), 'master', bridge, 'up']);
      must(['-n', ns, 'addr', 'add', `${prefix}.${10 + i}/24`, 'dev', `psw${tag}c${i}`]);
      must(['-n', ns, 'link', 'set', `psw${tag}c${i}`, 'up']);
      must(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
  } catch (err) {
    remove();
    return plain(`could not make network namespaces: ${(err as Error).message}`);
  }
  return {
    serverIp: `${prefix}.1`,
    hostSubnet: `${prefix}.0/24`,
    launcher: (i) => ['ip', 'netns', 'exec', namespaces[i]],
    cut: (i) => must(['link', 'set', hostEnd(i), 'down']),
    restore: (i) => must(['link', 'set', hostEnd(i), 'up']),
    remove,
  };
}
