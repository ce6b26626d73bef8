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
