/**
 * What a unit bench is: for one registered unit, config -> seeded stimulus
 * (corners first) -> input words and expected output words from src/ref,
 * plus what a co-simulation run needs around them (the module, an Icarus
 * prefix of whole transactions, the operator inventory for ACEv2). The unit
 * tests and `pikehdl cosim` share these, so there is one stimulus and one
 * reference mapping per unit.
 */
import type { JsonValue, Module } from '../../hdl-gen/dsl/index.ts';
import type { TypedGenerator } from '../../hdl-gen/config/defineGenerator.ts';
import { toJsonValue } from '../../hdl-gen/config/jsonValue.ts';
import type { OperatorInventory } from '../../src/cost/index.ts';
import type { IcarusPrefix } from '../check/index.ts';

export interface UnitBenchDef<C, T> {
  /** The registry entry; the bench takes its name and its (typed) config validation. */
  readonly generator: TypedGenerator<C>;
  /** What `count` counts, for help and summaries ("lane transactions", "random tiles"). */
  readonly counts: string;
  readonly defaultCount: number;
  /** Rules the stream needs beyond the generator's (throw ConfigError naming field, value and rule). */
  check?(config: C): void;
  module(config: C): Module;
  /** Corner transactions first, then seeded random ones; a pure function of its arguments. */
  stimulus(config: C, count: number, seed: number): T[];
  /** The input words of the stimulus, in stream order. */
  inputs(config: C, stimulus: readonly T[]): bigint[];
  /** The output words src/ref expects for the stimulus. */
  expected(config: C, stimulus: readonly T[]): bigint[];
  /** The shortest prefix of whole transactions covering min(outputs, all) expected outputs. */
  icarusPrefix(config: C, stimulus: readonly T[], outputs: number): IcarusPrefix;
  inventory(config: C): OperatorInventory;
  /** Which handshakes the inventory's firings are counted per. */
  readonly tallyOn: 'in' | 'out';
}

/** A bench with its types erased, ready for a list of all units. */
export interface UnitBench {
  readonly name: string;
  readonly counts: string;
  readonly defaultCount: number;
  /** Validates `raw` (ConfigError) and computes the whole case. */
  prepare(raw: unknown, count: number, seed: number): PreparedCase;
}

export interface PreparedCase {
  /** The validated, normalised configuration. */
  readonly config: JsonValue;
  readonly module: Module;
  readonly inputs: readonly bigint[];
  readonly expected: readonly bigint[];
  icarusPrefix(outputs: number): IcarusPrefix;
  readonly inventory: OperatorInventory;
  readonly tallyOn: 'in' | 'out';
}

/** A typed bench (for the unit tests) that is also its erased form (for the list of all units). */
export type TypedUnitBench<C, T> = UnitBench & UnitBenchDef<C, T>;

export function defineUnitBench<C, T>(def: UnitBenchDef<C, T>): TypedUnitBench<C, T> {
  return Object.freeze({
    ...def,
    name: def.generator.name,
    prepare(raw: unknown, count: number, seed: number): PreparedCase {
      const config = def.generator.parseConfig(raw);
      def.check?.(config);
      const stimulus = def.stimulus(config, count, seed);
      return {
        config: toJsonValue(config, `${def.generator.name} config`),
        module: def.module(config),
        inputs: def.inputs(config, stimulus),
        expected: def.expected(config, stimulus),
        icarusPrefix: (outputs) => def.icarusPrefix(config, stimulus, outputs),
        inventory: def.inventory(config),
        tallyOn: def.tallyOn,
      };
    },
  });
}

/** The Icarus prefix of a unit with one output per input transaction. */
export function oneToOnePrefix(total: number, outputs: number): IcarusPrefix {
  const n = Math.max(1, Math.min(outputs, total));
  return { inputs: n, outputs: n };
}
