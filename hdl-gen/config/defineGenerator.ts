/**
 * What a registry entry is: a name, a zod schema for its JSON config, a
 * default config, lint-gate parameter points, and a function from a
 * validated config to a Module. defineGenerator returns a TypedGenerator:
 * the config type flows through (parseConfig returns it, generate takes it);
 * only a list of generators with different configs (the registry) sees the
 * erased Generator view.
 */
import type { z } from 'zod';
import type { Module } from '../dsl/module.ts';
import type { JsonValue } from '../dsl/moduleTypes.ts';
import { ConfigError, parseConfig } from './configError.ts';
import { toJsonValue } from './jsonValue.ts';

export interface GeneratorDef<S extends z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  readonly defaultConfig: z.input<S>;
  /** Configurations the lint gate emits and checks: corners and typical points. */
  readonly lintPoints: readonly z.input<S>[];
  /** Builds the module; the config is already validated. The module's meta should record it. */
  generate(config: z.output<S>): Module;
}

export interface Generator {
  readonly name: string;
  readonly description: string;
  readonly defaultConfig: JsonValue;
  readonly lintPoints: readonly JsonValue[];
  /** Validates `raw` (ConfigError naming field, value and rule) and returns the normalised config. */
  parse(raw: unknown): JsonValue;
  /** Validates `raw` and builds the module. */
  build(raw: unknown): Module;
}

/** A generator whose config type is known: what a unit exports; a Generator wherever one is expected. */
export interface TypedGenerator<C> extends Generator {
  /** Validates `raw` (ConfigError naming field, value and rule) and returns the typed config. */
  parseConfig(raw: unknown): C;
  /** Builds the module from a config parseConfig returned. */
  generate(config: C): Module;
}

export function defineGenerator<S extends z.ZodType>(def: GeneratorDef<S>): TypedGenerator<z.output<S>> {
  const parse = (raw: unknown): z.output<S> => parseConfig(def.name, def.schema, raw);
  return Object.freeze({
    name: def.name,
    description: def.description,
    defaultConfig: toJsonValue(def.defaultConfig, `${def.name} defaultConfig`),
    lintPoints: def.lintPoints.map((p, i) => toJsonValue(p, `${def.name} lintPoints[${i}]`)),
    parse: (raw: unknown) => toJsonValue(parse(raw), `${def.name} config`),
    parseConfig: parse,
    generate: (config: z.output<S>) => def.generate(config),
    build: (raw: unknown) => {
      const config = parse(raw);
      try {
        return def.generate(config);
      } catch (e) {
        // Rules the schema cannot express (checked while generating) get the same prefix.
        if (e instanceof ConfigError && !e.message.startsWith('unit ')) throw new ConfigError(`unit ${def.name}: ${e.message}`);
        throw e;
      }
    },
  });
}
