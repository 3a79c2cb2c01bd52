/**
 * The one place that turns an error into an exit code and a message
 * (docs/limits.md, "Exit codes"):
 *   0  success
 *   1  a verification ran and failed (co-simulation mismatch)
 *   2  a user or environment error: bad option, invalid file, refused output
 *      path, missing tool, full disk, read-only folder; one line, no stack
 *   3  an internal error: a bug in pikehdl, printed with its stack and a
 *      request to report it
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../../hdl-gen/generators/index.ts';
import { SimError } from '../../sim/simError.ts';
import { CostTableError } from '../cost/index.ts';
import { AccuracyFileError } from '../cost/report/accuracy.ts';
import { FpgaError } from '../fpga/fpgaError.ts';
import { ModelError } from '../model/index.ts';
import { LimitError } from '../model/limits.ts';
import { OutputError, describeFsError } from '../output/index.ts';
import { CliError, VerificationFailure } from './cliError.ts';
import { oneLine } from './terminalText.ts';

export const EXIT_OK = 0;
export const EXIT_VERIFICATION_FAILED = 1;
export const EXIT_USER_ERROR = 2;
export const EXIT_INTERNAL_ERROR = 3;

export const REPORT_REQUEST = 'This is a bug in pikehdl, not in your input: please report it with the command line and the lines above.';

export interface Outcome {
  readonly code: number;
  /** What to print on stderr ('' for nothing). */
  readonly text: string;
}

/** SimError kinds that are the environment's fault (a tool to install, a folder to fix), not the design's. */
const ENVIRONMENT_SIM_ERRORS = new Set(['tool-missing', 'environment']);

function errnoPath(e: unknown): string | undefined {
  const p = typeof e === 'object' && e !== null ? (e as { path?: unknown }).path : undefined;
  return typeof p === 'string' ? p : undefined;
}

export function classify(e: unknown): Outcome {
  if (e instanceof CommanderError) {
    // commander has printed its own message already.
    return { code: e.exitCode === 0 ? EXIT_OK : EXIT_USER_ERROR, text: '' };
  }
  if (e instanceof VerificationFailure) return { code: EXIT_VERIFICATION_FAILED, text: '' };
  if (
    e instanceof CliError ||
    e instanceof OutputError ||
    e instanceof ModelError ||
    e instanceof LimitError ||
    e instanceof CostTableError ||
    e instanceof AccuracyFileError ||
    e instanceof FpgaError ||
    e instanceof ConfigError
  ) {
    return { code: EXIT_USER_ERROR, text: `pikehdl: ${oneLine(e.message)}\n` };
  }
  if (e instanceof SimError && ENVIRONMENT_SIM_ERRORS.has(e.kind)) {
    return { code: EXIT_USER_ERROR, text: `${oneLine(e.message)}\n` };
  }
  const fs = describeFsError(e);
  if (fs.code !== undefined && /^E[A-Z]+$/.test(fs.code)) {
    // A filesystem refusal the command did not name itself: still the environment, not a bug.
    const where = errnoPath(e);
    const syscall = (e as { syscall?: unknown }).syscall;
    return { code: EXIT_USER_ERROR, text: `pikehdl: ${oneLine(`${where ?? '(a file)'}: ${typeof syscall === 'string' ? `${syscall} failed: ` : ''}${fs.text}`)}\n` };
  }
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  return { code: EXIT_INTERNAL_ERROR, text: `pikehdl: internal error: ${stack}\n${REPORT_REQUEST}\n` };
}
