import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildAll } from './catalog.ts';

// Writes one JSON file per dashboard (the model Grafana's file provisioning reads); returns the paths.
export async function writeDashboards(outDir: string): Promise<string[]> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, dashboard } of buildAll()) {
    const path = join(dir, file);
    await writeFile(path, `${JSON.stringify(dashboard, null, 2)}\n`);
    written.push(path);
  }
  return written;
}
