#!/usr/bin/env node
// The `samsa` command (bin: dist/cli/main.js). Each command lives in ts/cli/commands/<name>.ts
// and exports register(program). Exit codes: 0 ok, 1 failure, 2 bad arguments or configuration
// (see cli-error.ts). Commander is told not to exit by itself so that every error goes through
// one formatter: `samsa: unknown option '--prot' (did you mean --port?)`.
import './threadpool.js';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { reportCliError, formatCommanderMessage, EXIT_OK, EXIT_USAGE } from './cli-error.js';
import { register as registerStart } from './commands/start.js';
import { register as registerDumpLog } from './commands/dump-log.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerTopics } from './commands/topics.js';
import { register as registerProduce } from './commands/produce.js';
import { register as registerConsume } from './commands/consume.js';
import { register as registerPerf } from './commands/perf.js';
import { register as registerGroups } from './commands/groups.js';

function packageVersion(): string {
  // ts/cli/main.ts and dist/cli/main.js both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('samsa')
    .description('A Kafka-compatible broker and embedded log for Node.js')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => { process.stdout.write(s); },
      writeErr: (s) => { process.stderr.write(s); },
      outputError: (s, write) => write(`samsa: ${formatCommanderMessage(s)}\n`),
    });
  // Settings above are inherited by the subcommands registered below.
  registerStart(program);
  registerDumpLog(program);
  registerCheck(program);
  registerTopics(program);
  registerProduce(program);
  registerConsume(program);
  registerPerf(program);
  registerGroups(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // A command reports failure by setting process.exitCode (e.g. dump-log on a corrupt file).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with exitCode 0; `samsa` alone prints help and ends with 1.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportCliError(err);
  }
}

process.exitCode = await main();
