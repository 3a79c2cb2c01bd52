/**
 * The unit configuration from --config and --set, with the same rules as
 * `pikehdl gen` (a JSON file, then key=value overrides parsed as JSON, else
 * taken as a string; dotted keys reach into objects).
 */
import { readFileSync } from 'node:fs';
import { FpgaError } from './fpgaError.ts';

const FORBIDDEN = new Set(['', '__proto__', 'constructor', 'prototype']);

export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FpgaError(`--config ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FpgaError(`--config ${file}: not valid JSON: ${(e as Error).message}`);
  }
}

export function applySets(base: unknown, sets: readonly string[]): unknown {
  return sets.reduce<unknown>((cfg, s) => applySet(cfg, s), structuredClone(base));
}

function applySet(cfg: unknown, assignment: string): unknown {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new FpgaError(`--set ${JSON.stringify(assignment)} is invalid: expected key=value`);
  const keys = assignment.slice(0, eq).split('.');
  const text = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) throw new FpgaError(`--set ${assignment}: the configuration is not a JSON object`);
  for (const k of keys) {
    if (FORBIDDEN.has(k)) throw new FpgaError(`--set ${JSON.stringify(assignment)} is invalid: key ${JSON.stringify(k)} is not a field name`);
  }
  let obj = cfg as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    const child = obj[k];
    if (child === undefined) obj[k] = {};
    else if (child === null || typeof child !== 'object') throw new FpgaError(`--set ${assignment}: config field ${k} is not an object`);
    obj = obj[k] as Record<string, unknown>;
  }
  obj[keys[keys.length - 1]!] = value;
  return cfg;
}
