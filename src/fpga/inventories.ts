/**
 * Each registered unit's ACEv2 per transaction, by registry name: the unit's
 * typed descriptor (hdl-gen/units/index.ts) validates the config and derives
 * its operator inventory. Generic building blocks (dot_product, fifo, ...)
 * have none.
 */
import type { Generator } from '../../hdl-gen/generators/index.ts';
import { findUnit } from '../../hdl-gen/units/index.ts';
import { DEFAULT_COST_TABLE, tallyFromInventory } from '../cost/index.ts';

export interface TransactionCost {
  readonly acev2: number;
  readonly ace: number;
  readonly macs: number;
}

/** ACEv2 of one transaction, tallyFromInventory(inventory, 1, DEFAULT_COST_TABLE); undefined when the unit declares no inventory. */
export function costPerTransaction(gen: Generator, raw: unknown): TransactionCost | undefined {
  const unit = findUnit(gen.name);
  if (unit === undefined) return undefined;
  const t = tallyFromInventory(unit.inventoryOf(raw), 1, DEFAULT_COST_TABLE);
  return { acev2: t.acev2, ace: t.ace, macs: t.macs };
}
