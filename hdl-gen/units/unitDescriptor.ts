/**
 * One typed descriptor per compute unit: its generator (schema, defaults,
 * lint points, generate), its operator inventory (read off the netlist where
 * the unit's structure allows, see netlistInventory.ts) and its latency. The
 * config type C flows through every field; a list of units with different
 * configs sees the erased Unit view, which validates raw JSON once and hands
 * the typed config on, so no caller casts.
 */
import type { OperatorInventory } from '../../src/cost/index.ts';
import type { Generator, TypedGenerator } from '../config/defineGenerator.ts';

export interface UnitDescriptor<C> {
  readonly generator: TypedGenerator<C>;
  /** Operators firing per transaction (see each unit's inventory.ts for which handshakes). */
  inventory(config: C): OperatorInventory;
  /** Cycles from an input handshake to its output being valid, with the output always ready. */
  latency(config: C): number;
}

/** A unit with its config type erased: what the list of all units holds. */
export interface Unit {
  readonly name: string;
  readonly generator: Generator;
  /** Validates `raw` (ConfigError) and returns the unit's inventory for it. */
  inventoryOf(raw: unknown): OperatorInventory;
  /** Validates `raw` (ConfigError) and returns the unit's latency for it. */
  latencyOf(raw: unknown): number;
}

export type TypedUnit<C> = UnitDescriptor<C> & Unit;

export function defineUnit<C>(d: UnitDescriptor<C>): TypedUnit<C> {
  return Object.freeze({
    ...d,
    name: d.generator.name,
    inventoryOf: (raw: unknown) => d.inventory(d.generator.parseConfig(raw)),
    latencyOf: (raw: unknown) => d.latency(d.generator.parseConfig(raw)),
  });
}
