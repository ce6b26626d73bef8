import { existsSync, readFileSync } from 'node:fs';

// The last lines of a service's log, for start-up errors: the reason a server died is usually there.
export function tailOf(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return `no log at ${logFile}`;
  const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `last lines of ${logFile}:\n${tail}`;
}
