// The launcher process (see launcher.ts): runs attempts and persistent programs for its worker, which
// talks to it over the IPC channel. When that channel closes (the worker exited, or was SIGKILLed),
// every running program is stopped as on a worker's shutdown, and the launcher exits.
import type { Progress } from './cell-events.ts';
import { GroupRegistry } from './group-registry.ts';
import type { LauncherReply, LauncherRequest, LauncherSettings } from './launcher-messages.ts';
import { PersistentProgram } from './persistent-program.ts';
import { runAttempt } from './run-attempt.ts';

const settings = JSON.parse(process.argv[2]) as LauncherSettings;
const registry = new GroupRegistry(settings.stateDir, settings.graceMs);
// A state folder that cannot be written (a read-only home) must not stop a worker that may never see a
// command cell: the launcher runs without the watchdog's list, and the worker says so once.
let warning: string | undefined;
try {
  await registry.open();
} catch (err) {
  warning = `command cells: cannot list process groups under ${settings.stateDir} (${(err as Error).message}): a program of a worker killed by SIGKILL would not be ended`;
}

const running = new Map<number, { abort: AbortController; done: Promise<void> }>();
const slots = new Map<number, PersistentProgram>();

function reply(message: LauncherReply): void {
  if (process.connected) process.send!(message);
}
reply({ kind: 'ready', warning });

function serve(id: number, work: (signal: AbortSignal) => Promise<LauncherReply>): void {
  const abort = new AbortController();
  const done = work(abort.signal)
    .catch((err: unknown): LauncherReply => ({ kind: 'error', id, message: String(err) }))
    .then(reply)
    .finally(() => running.delete(id));
  running.set(id, { abort, done });
}

// Progress and checkpoints as they come: heartbeats, curve points, and where a retry resumes.
const listeners = (id: number) => ({
  onProgress: (progress: Progress) => reply({ kind: 'progress', id, progress }),
  onCheckpoint: (path: string) => reply({ kind: 'checkpoint', id, path }),
});

function slotOf(request: LauncherRequest & { kind: 'persistent-cell' }): PersistentProgram {
  let program = slots.get(request.slot);
  if (!program) {
    program = new PersistentProgram(request.run, { slotDir: request.slotDir, gpus: request.gpus, registry });
    slots.set(request.slot, program);
  }
  return program;
}

process.on('message', (request: LauncherRequest) => {
  const { id } = request;
  if (request.kind === 'abort') running.get(id)?.abort.abort(request.reason);
  else if (request.kind === 'attempt')
    serve(id, async (signal) => ({
      kind: 'attempt',
      id,
      report: await runAttempt(request.run, request.cell, {
        attemptDir: request.attemptDir,
        gpus: request.gpus,
        registry,
        signal,
        ...listeners(id),
      }),
    }));
  else if (request.kind === 'persistent-cell') {
    const program = slotOf(request);
    serve(id, async (signal) => {
      const report = await program.runCell(request.cell, { signal, ...listeners(id) });
      return { kind: 'persistent-cell', id, report, starts: program.starts };
    });
  } else {
    const program = slots.get(request.slot);
    slots.delete(request.slot);
    serve(id, async () => {
      await program?.close();
      return { kind: 'persistent-close', id };
    });
  }
});

// The worker is gone: what it ran is stopped as on its shutdown (SIGTERM, SIGKILL after grace), then
// the registry's watchdog is released and this process exits.
process.once('disconnect', () => {
  void (async () => {
    for (const { abort } of running.values()) abort.abort('shutdown');
    await Promise.all([...running.values()].map((r) => r.done));
    await Promise.all([...slots.values()].map((program) => program.close()));
    registry.close();
    process.exit(0);
  })();
});
