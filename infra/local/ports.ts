import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

// A configured port (env var) wins; then the port used last time, so URLs stay stable across down/up;
// then any free port.
export async function choosePort(envName: string | undefined, previous: number | undefined): Promise<number> {
  const configured = envName && process.env[envName];
  if (envName && configured) {
    const port = Number(configured);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw Object.assign(new Error(`${envName}=${configured} is not a port number (1-65535)`), {
        badInput: true,
      });
    }
    return port;
  }
  if (previous !== undefined && (await isPortFree(previous))) return previous;
  return freePort();
}

const PORT_ATTEMPTS = 3;

export function pinned(envName: string | undefined): boolean {
  return envName !== undefined && Boolean(process.env[envName]);
}

// A free port is found before the server binds it, so another process (a parallel test stack) can take
// it in between. The server then fails to bind; start it again on fresh free ports, unless the user
// pinned the port, whose clash must be reported.
export async function retryOnPortClash<T>(
  portPinned: boolean,
  start: (fresh: boolean) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt > 1);
    } catch (err) {
      const clash = /address already in use/i.test((err as Error).message);
      if (!clash || portPinned || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}
