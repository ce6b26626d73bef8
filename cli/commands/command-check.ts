import type { Command } from 'commander';
import { COMMAND_METHOD } from '../../trainer/index.ts';

export function register(program: Command): void {
  const command = program
    // the subcommand of method: command is named after it
    .command(COMMAND_METHOD)
    .description('your own trainer (method: command): check it against the protocol')
    .addHelpText('after', '\nExample:\n  $ phasesweep command check examples/command/numpy-cnn/spec.yaml');
  command
    .command('check <spec>')
    .description(
      "run the spec's first cell twice (and once more to send it a SIGTERM) and check the program against the protocol: it reads stdin, writes one result with every listed metric, exits 0, ends within grace of a SIGTERM, and is bitwise deterministic for a seed (exit 1 if a check fails)",
    )
    .addHelpText('after', '\nExample:\n  $ phasesweep command check examples/command/minimal/spec.yaml')
    .action(async (specPath: string) => {
      const { mkdtemp } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { readSpecText } = await import('../../infra/spec-file.ts');
      const { parseCommandSpec } = await import('../../sweep/command-spec.ts');
      const { commandRunOf } = await import('../../workers/command/command-run.ts');
      const { codeHash } = await import('../../workers/command/code-hash.ts');
      const { checkProgram } = await import('../../workers/command/check-program.ts');
      const spec = parseCommandSpec(await readSpecText(specPath), specPath);
      const run = await commandRunOf(spec.command, specPath);
      const hash = await codeHash(run.cwd, spec.command.code);
      const { params, seed } = spec.firstCell;
      console.log(`checking ${run.argv.join(' ')} (in ${run.cwd}, code ${hash.slice(0, 12)})`);
      console.log(`on the first cell: ${JSON.stringify(params)}, seed ${seed}`);
      const dir = await mkdtemp(join(tmpdir(), 'phasesweep-check-'));
      const report = await checkProgram(run, { params, seed }, dir);
      for (const check of report.checks) {
        const detail = check.detail ? `: ${check.detail}` : '';
        console.log(`  ${check.verdict.padEnd(4)} ${check.name}${detail}`);
        if (check.fix) console.log(`       fix: ${check.fix}`);
      }
      const failed = report.checks.filter((check) => check.verdict === 'fail').length;
      if (failed > 0) {
        const tail = report.logTail.trimEnd().split('\n').slice(-10);
        if (tail.join('') !== '')
          console.log(`the log's last lines (${report.logPath}):\n${tail.map((l) => `  | ${l}`).join('\n')}`);
        console.log(`${failed} of ${report.checks.length} checks failed`);
        process.exitCode = 1;
      } else {
        const skipped = report.checks.filter((check) => check.verdict === 'skip').length;
        console.log(`passed${skipped > 0 ? ` (${skipped} skipped)` : ''}: the program keeps the protocol`);
      }
    });
}
