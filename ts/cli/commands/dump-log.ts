// `samsa dump-log <file...>`: print the batches of .log files and the entries of .index/.timeindex files.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('dump-log')
    .description('print the record batches of .log files and the entries of .index/.timeindex files')
    .argument('<file...>', 'segment files (.log, .index, .timeindex)')
    .action(() => {
      throw new Error('dump-log: not implemented yet');
    });
}
