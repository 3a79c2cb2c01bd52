/**
 * The max-pooling unit's operator inventory for the ACEv2 tally, per output
 * transaction (one pooled pixel, all channels): each channel's comparator,
 * read off the netlist (the `gt` operators that drive the running maxima
 * max<c>), fires count - 1 times per window (a window's first pixel starts
 * the maximum). How often a sequential operator fires is not in the
 * netlist's structure, so that figure is stated here, as the average-pooling
 * unit states its adder's. Not operators (docs/acev2.md): the window
 * counters, the muxes, the output register.
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { costOpOf, netlistOperators } from '../netlistInventory.ts';
import { type MaxPoolConfig, deriveMaxPool } from './config.ts';
import { generateMaxPool } from './generate.ts';

export function maxPoolInventory(c: MaxPoolConfig): OperatorInventory {
  const d = deriveMaxPool(c);
  const ops: InventoryEntry[] = [];
  for (const o of netlistOperators(generateMaxPool(c))) {
    if (o.op !== 'gt' || !/^max\d+$/.test(o.signal)) continue;
    const op = costOpOf(o);
    if (op !== undefined) ops.push({ ...op, category: 'pooling', firingsPerTransaction: d.count - 1 });
  }
  return { unit: c.name, operators: ops };
}
