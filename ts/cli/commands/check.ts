// `samsa check <dir>`: read-only consistency check of a partition directory or a log dir.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('check')
    .description('check segments, indexes and checkpoints of a partition or log directory (read-only)')
    .argument('<dir>', 'partition directory (<topic>-<n>) or log directory')
    .action(() => {
      throw new Error('check: not implemented yet');
    });
}
