import type { Command } from 'commander';
import { CliError } from '../cliError.ts';

// Placeholder until the gen command lands; it refuses instead of pretending.
export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('gen: not built yet');
    });
}
