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
  fileBytes: 128 * 1024 * 1024,
  /** Numbers, strings, arrays and objects in one JSON file (memory follows this count, not the bytes: "0,0,0" is 2 bytes a value). */
  jsonValues: 8 * 1024 * 1024,
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
 * The deepest array/object nesting of JSON text and (about) how many values it
 * holds, scanned without parsing (strings skipped), so that a deeply nested
 * file is refused before any recursive code (the parser, the schema,
 * structuredClone) can overflow the stack, and a file of millions of tiny
 * values before it is parsed into arrays.
 */
export function jsonShape(text: string): { depth: number; values: number } {
  let depth = 0;
  let max = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2c) values++;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      values++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return { depth: max, values };
}

export function jsonDepth(text: string): number {
  return jsonShape(text).depth;
}

/** Refuses JSON text nested too deeply or holding too many values (before parsing it). */
export function checkJsonDepth(text: string, source: string): void {
  const { depth, values } = jsonShape(text);
  if (depth > LIMITS.jsonDepth) throw new LimitError(source, `JSON nested ${fmt(depth)} levels deep; the limit is ${LIMITS.jsonDepth}`);
  if (values > LIMITS.jsonValues) throw new LimitError(source, `the file holds about ${fmt(values)} JSON values; the limit is ${fmt(LIMITS.jsonValues)}`);
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
