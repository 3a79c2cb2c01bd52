#!/usr/bin/env node
// pikehdl command line. Each subcommand lives in its own file under commands/
// and registers itself here; this file only wires them together.
import { Command } from 'commander';
import { registerGen } from './commands/gen.ts';
import { registerQuantize } from './commands/quantize.ts';
import { registerRun } from './commands/run.ts';
import { registerReport } from './commands/report.ts';
import { registerCosim } from './commands/cosim.ts';
import { registerFpga } from './commands/fpga.ts';
import { registerImport } from './commands/import.ts';
import { registerExport } from './commands/export.ts';
import { registerVersion } from './commands/version.ts';
import { registerMutate } from './commands/mutate.ts';
import { registerCoverage } from './commands/coverage.ts';
import { CliError } from './cliError.ts';

const program = new Command();
program
  .name('pikehdl')
  .description('Generate and verify hardware for fully-quantized neural networks')
  .showHelpAfterError();

registerGen(program);
registerQuantize(program);
registerRun(program);
registerReport(program);
registerCosim(program);
registerFpga(program);
registerImport(program);
registerExport(program);
registerVersion(program);
registerMutate(program);
registerCoverage(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Expected user errors print one clear line; anything else is a bug and
  // keeps its stack.
  if (err instanceof CliError) {
    process.stderr.write(`pikehdl: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
