import type { Command } from 'commander';
import { CliError } from '../cliError.ts';

// Placeholder until the quantize command lands; it refuses instead of pretending.
export function registerQuantize(program: Command): void {
  program
    .command('quantize')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('quantize: not built yet');
    });
}
