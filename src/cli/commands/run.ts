import type { Command } from 'commander';
import { CliError } from '../cliError.ts';

// Placeholder until the run command lands; it refuses instead of pretending.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('run: not built yet');
    });
}
