// pikehdl command line: the commands (each in commands/), wired into one
// commander program, run behind the error boundary. runCli works in-process
// (the fault suite calls it thousands of times), so nothing here touches
// process.exit or process.exitCode.
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
import { classify, EXIT_OK } from './errorBoundary.ts';
import { err, withCliIo, type CliIo, PROCESS_IO } from './io.ts';

type Register = (program: Command) => void;

/** Commands registered by other modules (e.g. import/export) before runCli. */
const extraCommands: Register[] = [];

export function addCommand(register: Register): void {
  extraCommands.push(register);
}

export function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name('pikehdl')
    .description('Generate and verify hardware for fully-quantized neural networks')
    // Throw instead of exiting, so the error boundary decides the exit code
    // (commander's own is 1 for a missing option; ours is 2).
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(add --help for usage)');
  for (const register of [registerGen, registerQuantize, registerRun, registerReport, registerCosim, registerFpga, registerImport, registerExport, registerVersion, registerMutate, registerCoverage, ...extraCommands]) register(program);
  return program;
}

/**
 * Runs one command line (without the node and script arguments); returns the
 * exit code. One at a time per process: the output collectors are module
 * state (io.ts), so concurrent calls would mix their output.
 */
export async function runCli(args: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  return withCliIo(io, async () => {
    try {
      await buildProgram(io).parseAsync([...args], { from: 'user' });
      return EXIT_OK;
    } catch (e) {
      const outcome = classify(e);
      if (outcome.text !== '') err(outcome.text);
      return outcome.code;
    }
  });
}
