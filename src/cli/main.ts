#!/usr/bin/env node
// pikehdl command line entry: run the program (program.ts) on this process's
// arguments and streams. A reader that goes away (`pikehdl ... | head`)
// closes stdout with EPIPE: stop writing and exit quietly instead of dying
// with a stack trace.
import { runCli } from './program.ts';

function quietOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      stream.destroy();
      process.exit(process.exitCode ?? 0);
    }
    throw e;
  });
}
quietOnEpipe(process.stdout);
quietOnEpipe(process.stderr);

process.exitCode = await runCli(process.argv.slice(2));
