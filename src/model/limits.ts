/**
 * Up-front resource limits (docs/limits.md): before a command allocates, it
 * computes what the request needs (bytes read, JSON nesting, activation
 * elements held at once, multiply-accumulates) and refuses, naming the file,
 * the figure and the limit, when it is above. The limits keep any request
 * pikehdl accepts, or refuses, well under 1 GB of memory.
 */
import { LIMIT_DOC } from './limitDoc.ts';

export const LIMITS = Object.freeze({
  /** Bytes of any one input file (JSON networks, inputs, configs, cost tables). */
  fileBytes: 64 * 1024 * 1024,
  /** Nesting depth of JSON arrays and objects (the formats need at most 6). */
  jsonDepth: 64,
  /** Activation elements a reference run holds at once (the input and every layer's output): 8 bytes each. */
  activationElements: 32 * 1024 * 1024,
  /** Multiply-accumulates of one inference of the reference model. */
  macsPerInference: 2_000_000_000,
});

/** A request above a documented limit: exit code 2 in the CLI. */
export class LimitError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message} (limits: ${LIMIT_DOC})`);
    this.name = 'LimitError';
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function checkFileSize(bytes: number, source: string): void {
  if (bytes > LIMITS.fileBytes) throw new LimitError(source, `the file is ${fmt(bytes)} bytes; the limit is ${fmt(LIMITS.fileBytes)} bytes`);
}

/**
 * Depth of the deepest array/object nesting in JSON text, scanned without
 * parsing (strings skipped), so a deeply nested file is refused before any
 * recursive code (the parser, the schema, structuredClone) can overflow the stack.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function checkJsonDepth(text: string, source: string): void {
  const d = jsonDepth(text);
  if (d > LIMITS.jsonDepth) throw new LimitError(source, `JSON nested ${fmt(d)} levels deep; the limit is ${LIMITS.jsonDepth}`);
}

/** What one reference run of a network needs. */
export interface RunNeeds {
  readonly activationElements: number;
  readonly macs: number;
}

export function checkRunNeeds(needs: RunNeeds, source: string, what = 'running it'): void {
  if (needs.activationElements > LIMITS.activationElements) {
    throw new LimitError(
      source,
      `${what} needs ${fmt(needs.activationElements)} activation elements (${fmt(needs.activationElements * 8)} bytes); the limit is ${fmt(LIMITS.activationElements)} elements`,
    );
  }
  if (needs.macs > LIMITS.macsPerInference) {
    throw new LimitError(source, `${what} needs ${fmt(needs.macs)} multiply-accumulates per inference; the limit is ${fmt(LIMITS.macsPerInference)}`);
  }
}
