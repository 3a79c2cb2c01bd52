/**
 * Identifier validation. Every name that reaches Verilog (modules, ports,
 * signals, instances, memories) passes through here: names are never pasted
 * raw into generated text, so `x; assign y = 1;` cannot become code.
 */
import { DslError } from './dslError.ts';
import { reservedReason } from './reservedWords.ts';

export const IDENTIFIER_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Long enough for descriptive generated names, short enough to keep
 *  Verilator's hierarchical C++ names and file names reasonable. */
export const MAX_IDENTIFIER_LENGTH = 64;

/** The rule `name` breaks, or undefined when it is a valid identifier. */
export function identifierProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, not ${typeof name}`;
  if (!IDENTIFIER_PATTERN.test(name)) {
    return `is not an identifier: it must match ${String(IDENTIFIER_PATTERN)} (a letter, then letters, digits or _)`;
  }
  if (name.length > MAX_IDENTIFIER_LENGTH) {
    return `is ${name.length} characters long: at most ${MAX_IDENTIFIER_LENGTH} are allowed`;
  }
  if (name.includes('__')) {
    return 'contains "__": double underscores are reserved for the C++ names Verilator generates';
  }
  const why = reservedReason(name);
  if (why !== undefined) return `is ${why}: pick another name`;
  return undefined;
}

/** Throws a DslError `${what} "name" <rule>` unless `name` is valid; returns it. */
export function checkIdentifier(name: unknown, what: string): string {
  const problem = identifierProblem(name);
  if (problem !== undefined) {
    const shown = typeof name === 'string' ? JSON.stringify(name) : String(name);
    throw new DslError(`${what} ${shown} ${problem}`);
  }
  return name as string;
}
