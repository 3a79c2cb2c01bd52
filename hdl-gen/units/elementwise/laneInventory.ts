/**
 * The operator inventory of an elementwise lane-pipeline unit, read off its
 * netlist (../netlistInventory.ts): every operator fires once per
 * transaction, and what it is for follows from the lane field it computes.
 */
import type { Category, OperatorInventory } from '../../../src/cost/index.ts';
import type { Module } from '../../dsl/module.ts';
import { laneFieldOf, netlistInventory } from '../netlistInventory.ts';

/**
 * `fields` maps each lane field a stage registers to its category; a field
 * not listed is a unit bug (thrown, naming it), so a new stage cannot go
 * uncosted silently.
 */
export function laneInventory(m: Module, fields: Readonly<Record<string, Category>>): OperatorInventory {
  return netlistInventory(m, (signal) => {
    const field = laneFieldOf(signal);
    if (field === undefined) return undefined; // valid/ready/load control
    const category = fields[field];
    if (category === undefined) {
      throw new Error(`laneInventory(${m.name}): lane field ${field} (signal ${signal}) has no category (this is a bug in the unit's inventory)`);
    }
    return category;
  });
}
