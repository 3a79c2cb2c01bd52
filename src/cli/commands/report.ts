import type { Command } from 'commander';
import { CliError } from '../cliError.ts';

// Placeholder until the report command lands; it refuses instead of pretending.
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('report: not built yet');
    });
}
