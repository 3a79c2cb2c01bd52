// The --config / --set options shared by every command that takes a unit
// configuration (gen, cosim, fpga): read a JSON file, apply key=value
// overrides. The unit's own schema validates the result afterwards.
import { CliError } from './cliError.ts';
import { LimitError, ModelError, checkJsonDepth, readTextFile } from '../model/index.ts';

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A user's text file (regular, within the size limit); errors name the option and the file. */
export function readUserText(option: string, file: string): string {
  try {
    return readTextFile(file);
  } catch (e) {
    if (e instanceof ModelError) throw new CliError(`${option} ${file}: ${e.message.slice(file.length + 2)}`);
    if (e instanceof LimitError) throw new CliError(`${option} ${e.message}`);
    throw e;
  }
}

export function readConfig(file: string): unknown {
  const text = readUserText('--config', file);
  try {
    checkJsonDepth(text, `--config ${file}`);
  } catch (e) {
    if (e instanceof LimitError) throw new CliError(e.message);
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`--config ${file}: not valid JSON: ${(e as Error).message}`);
  }
}

const FORBIDDEN_KEYS = new Set(['', '__proto__', 'constructor', 'prototype']);

/** `a.b=3` sets field b of object a; the value is JSON when it parses, else a string. */
export function applySet(cfg: unknown, assignment: string): unknown {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new CliError(`--set ${JSON.stringify(assignment)} is invalid: expected key=value`);
  const keys = assignment.slice(0, eq).split('.');
  const text = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) {
    throw new CliError(`--set ${assignment}: the configuration is not a JSON object`);
  }
  let obj = cfg as Record<string, unknown>;
  for (const [i, k] of keys.entries()) {
    if (FORBIDDEN_KEYS.has(k)) {
      throw new CliError(`--set ${JSON.stringify(assignment)} is invalid: key ${JSON.stringify(k)} is not a field name`);
    }
    if (i === keys.length - 1) break;
    const child = obj[k];
    if (child === undefined) obj[k] = {};
    else if (child === null || typeof child !== 'object') throw new CliError(`--set ${assignment}: config field ${k} is not an object`);
    obj = obj[k] as Record<string, unknown>;
  }
  obj[keys[keys.length - 1]!] = value;
  return cfg;
}

/** The raw (not yet validated) configuration: the base (a file, or the
 *  unit's default) with every --set applied, on a copy. */
export function rawUnitConfig(defaultConfig: unknown, configFile: string | undefined, sets: readonly string[]): unknown {
  const base = configFile === undefined ? defaultConfig : readConfig(configFile);
  return sets.reduce<unknown>((cfg, s) => applySet(cfg, s), structuredClone(base));
}
