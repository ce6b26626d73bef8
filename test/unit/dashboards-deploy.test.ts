import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildProgram } from '../../cli/program.ts';
import { DATASOURCE_TYPE, DATASOURCE_UID } from '../../dashboards/datasource.ts';

// No Docker engine or Grafana runs here: these files are checked for what can be checked without one:
// they parse, reference only files that exist, and agree with each other and with the CLI.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (...parts: string[]) => join(root, ...parts);
const yamlFile = (...parts: string[]) => parse(readFileSync(at(...parts), 'utf8')) as Record<string, unknown>;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: {
    replicas?: number | string;
    resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } };
  };
}
const composeFiles = ['compose.yaml', 'workers.yaml'];
const servicesOf = (file: string) => yamlFile('infra/compose', file).services as Record<string, Service>;

test('datasource provisioning: the uid and type every panel uses, the reader role, secrets from the environment', () => {
  const doc = yamlFile('infra/grafana/provisioning/datasources/phasesweep.yaml');
  const [ds, ...rest] = doc.datasources as Record<string, unknown>[];
  assert.equal(rest.length, 0);
  assert.equal(ds!.uid, DATASOURCE_UID);
  assert.equal(ds!.type, DATASOURCE_TYPE);
  assert.equal(ds!.user, '${PHASESWEEP_READER_ROLE}');
  const json = ds!.jsonData as Record<string, unknown>;
  assert.equal(json.sslmode, '${PHASESWEEP_PG_SSLMODE}');
  assert.equal(json.database, '${PHASESWEEP_PG_DATABASE}');
  assert.deepEqual(ds!.secureJsonData, { password: '${PHASESWEEP_GRAFANA_PASSWORD}' });
  // Every variable the file expands is given to the Grafana container by the compose file.
  const text = readFileSync(at('infra/grafana/provisioning/datasources/phasesweep.yaml'), 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const used = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  const grafanaEnv = servicesOf('compose.yaml').grafana!.environment!;
  for (const name of used) assert.ok(name in grafanaEnv, `compose grafana service lacks ${name}`);
});

test('dashboard provider reads the folder the compose dashboards job writes', () => {
  const doc = yamlFile('infra/grafana/provisioning/dashboards/phasesweep.yaml');
  const [provider] = doc.providers as { type: string; options: { path: string } }[];
  assert.equal(provider!.type, 'file');
  const services = servicesOf('compose.yaml');
  const grafanaMount = services.grafana!.volumes!.find((v) => v.split(':')[1] === provider!.options.path);
  assert.ok(grafanaMount, `grafana mounts nothing at ${provider!.options.path}`);
  const volume = grafanaMount.split(':')[0]!;
  const job = services.dashboards!;
  const out = job.command![job.command!.indexOf('--out') + 1]!;
  assert.ok(
    job.volumes!.includes(`${volume}:${out}`),
    `dashboards job writes ${out}, not into volume ${volume}`,
  );
  assert.deepEqual(job.command!.slice(0, 2), ['dashboards', 'build']);
  assert.ok(
    services.grafana!.volumes!.includes('../grafana/provisioning:/etc/grafana/provisioning:ro'),
    'grafana gets the provisioning folder',
  );
});

test('compose files reference only files that exist, and build both worker images', () => {
  for (const file of composeFiles) {
    const dir = at('infra/compose');
    for (const [name, svc] of Object.entries(servicesOf(file))) {
      if (svc.build) {
        const context = resolve(dir, svc.build.context);
        assert.ok(statSync(context).isDirectory(), `${file} ${name}: context ${svc.build.context}`);
        assert.ok(
          existsSync(join(context, svc.build.dockerfile)),
          `${file} ${name}: ${svc.build.dockerfile}`,
        );
      }
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/')) {
          assert.ok(existsSync(resolve(dir, source)), `${file} ${name}: bind mount ${source} does not exist`);
        }
      }
      const script = (svc.command ?? []).find((c) => c.startsWith('/scripts/'));
      if (script)
        assert.ok(
          existsSync(join(dir, 'scripts', script.slice('/scripts/'.length))),
          `${file} ${name}: ${script}`,
        );
    }
    const services = servicesOf(file);
    assert.equal(services['worker-cpu']!.build!.dockerfile, 'infra/docker/worker-cpu.Dockerfile');
    assert.equal(services['worker-gpu']!.build!.dockerfile, 'infra/docker/worker-gpu.Dockerfile');
    assert.deepEqual(services['worker-gpu']!.profiles, ['gpu']);
    const [device] = services['worker-gpu']!.deploy!.resources!.reservations!.devices!;
    assert.equal(device!.driver, 'nvidia');
    assert.deepEqual(device!.capabilities, ['gpu']);
    assert.ok(services['worker-cpu']!.deploy!.replicas !== undefined, `${file}: CPU workers have replicas`);
  }
});

test('the full stack: Temporal on Postgres after its schema job, Grafana after the dashboards job', () => {
  const s = servicesOf('compose.yaml');
  assert.equal(s.temporal!.environment!.DB, 'postgres12');
  assert.equal(s.temporal!.environment!.POSTGRES_SEEDS, 'temporal-db');
  assert.equal(s.temporal!.depends_on!['temporal-schema']!.condition, 'service_completed_successfully');
  assert.equal(s.grafana!.depends_on!.dashboards!.condition, 'service_completed_successfully');
  assert.equal(s['worker-cpu']!.depends_on!.migrate!.condition, 'service_completed_successfully');
  assert.deepEqual(s.migrate!.command, ['db', 'migrate']);
  assert.ok('PHASESWEEP_GRAFANA_PASSWORD' in s.migrate!.environment!, 'migrate creates the reader role');
});

test('the migrate job creates the reader role under the name Grafana logs in as', () => {
  const s = servicesOf('compose.yaml');
  const grafana = s.grafana!.environment!.PHASESWEEP_READER_ROLE;
  assert.ok(grafana, 'grafana gets the reader role');
  assert.equal(s.migrate!.environment!.PHASESWEEP_READER_ROLE, grafana);
});

test('every required compose variable is listed in .env.example', () => {
  const example = readFileSync(at('infra/compose/.env.example'), 'utf8');
  for (const file of composeFiles) {
    const text = readFileSync(at('infra/compose', file), 'utf8');
    for (const [, name] of text.matchAll(/\$\{(\w+):\?/g)) {
      assert.match(example, new RegExp(`^#? ?${name}=`, 'm'), `${file}: ${name} missing from .env.example`);
    }
  }
});

test('Dockerfiles: stages and base images resolve, COPY sources exist, each has its .dockerignore', () => {
  for (const name of ['worker-cpu', 'worker-gpu']) {
    const path = at('infra/docker', `${name}.Dockerfile`);
    const lines = readFileSync(path, 'utf8')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const args = new Map<string, string>();
    const stages: string[] = [];
    for (const line of lines) {
      const [instruction, ...rest] = line.split(/\s+/);
      if (instruction === 'ARG') {
        const [key, value] = rest[0]!.split('=');
        args.set(key!, value ?? '');
      }
      if (instruction === 'FROM') {
        const image = rest[0]!.replace(/\$\{(\w+)\}/g, (_, v: string) => args.get(v) ?? `<unset ${v}>`);
        assert.match(
          image,
          /^[\w./-]+:[\w.-]+$/,
          `${name}: FROM ${rest[0]} -> ${image} is not a pinned image`,
        );
        assert.doesNotMatch(image, /:latest$/);
        if (rest[1]?.toUpperCase() === 'AS') stages.push(rest[2]!);
      }
      if (instruction === 'COPY') {
        const from = rest.find((r) => r.startsWith('--from='));
        const paths = rest.filter((r) => !r.startsWith('--'));
        if (from) {
          const stage = from.slice('--from='.length);
          assert.ok(stages.includes(stage), `${name}: COPY --from=${stage} names no earlier stage`);
          continue;
        }
        for (const source of paths.slice(0, -1)) {
          assert.ok(
            existsSync(at(source)),
            `${name}: COPY source ${source} does not exist in the repository`,
          );
        }
      }
    }
    assert.equal(lines.at(-2), 'ENTRYPOINT ["node", "bin/phasesweep.js"]');
    assert.ok(existsSync(at('bin/phasesweep.js')));
    assert.ok(existsSync(`${path}.dockerignore`), `${name}: no ${name}.Dockerfile.dockerignore`);
  }
  assert.match(readFileSync(at('infra/docker/worker-gpu.Dockerfile'), 'utf8'), /tfjs-node-gpu@4\.22\.0/);
  assert.match(readFileSync(at('infra/docker/worker-gpu.Dockerfile'), 'utf8'), /cudnn8-runtime/);
});

test('commands the containers run exist in the CLI with those options', () => {
  const program = buildProgram();
  const command = (path: string[]) =>
    path.reduce((cmd, name) => {
      const next = cmd.commands.find((c) => c.name() === name);
      assert.ok(next, `phasesweep ${path.join(' ')} does not exist`);
      return next;
    }, program);
  const flags = (path: string[]) => command(path).options.map((o) => o.long);
  for (const file of composeFiles) {
    for (const svc of Object.values(servicesOf(file))) {
      const argv = svc.command;
      if (!argv || argv[0]!.startsWith('/')) continue;
      const path = argv[0] === 'dashboards' || argv[0] === 'db' ? argv.slice(0, 2) : argv.slice(0, 1);
      const known = flags(path);
      for (const flag of argv.filter((a) => a.startsWith('--'))) {
        assert.ok(known.includes(flag), `phasesweep ${path.join(' ')} has no ${flag}`);
      }
    }
  }
});

test('compose helper scripts are valid POSIX shell', () => {
  for (const script of ['temporal-schema.sh', 'temporal-namespace.sh']) {
    execFileSync('sh', ['-n', at('infra/compose/scripts', script)]);
    assert.ok(
      (statSync(at('infra/compose/scripts', script)).mode & 0o111) !== 0,
      `${script} is not executable`,
    );
  }
});
