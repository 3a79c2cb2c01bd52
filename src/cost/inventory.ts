/**
 * The hardware path to a tally: a unit declares the operators it contains
 * (its operator inventory) and how often each fires per transaction; times
 * the number of transactions simulated, that is a tally of the same shape
 * as the analytic one, so the two can be compared exactly.
 */
import type { Category } from './categories.ts';
import type { Op } from './ops.ts';
import type { CostTable } from './costTable.ts';
import { type LayerTally, type OpCount, TallyError, tallyLayer } from './tally.ts';

/** One operator of a unit: an operation (kind and widths), what it is for,
 *  and how many times it fires per transaction (e.g. once per lane). */
export type InventoryEntry = Op & {
  readonly category: Category;
  readonly firingsPerTransaction: number;
};

export interface OperatorInventory {
  /** The unit's name; becomes the tally's name. */
  readonly unit: string;
  readonly operators: readonly InventoryEntry[];
}

function opOf(e: InventoryEntry): Op {
  // Drop the inventory fields so that the Op is exactly the operation.
  const { category: _c, firingsPerTransaction: _f, ...op } = e;
  return op as Op;
}

/** Inventory x activity as OpCounts. */
export function inventoryCounts(inventory: OperatorInventory, transactions: number): OpCount[] {
  if (!Number.isSafeInteger(transactions) || transactions < 0) {
    throw new TallyError(`${inventory.unit}: transactions ${String(transactions)} is invalid: expected a non-negative integer`);
  }
  return inventory.operators.map((e, i) => {
    if (!Number.isSafeInteger(e.firingsPerTransaction) || e.firingsPerTransaction < 0) {
      throw new TallyError(
        `${inventory.unit}: operators[${i}].firingsPerTransaction ${String(e.firingsPerTransaction)} is invalid: expected a non-negative integer`,
      );
    }
    return { category: e.category, op: opOf(e), count: e.firingsPerTransaction * transactions };
  });
}

/** The tally of a unit that ran `transactions` transactions. */
export function tallyFromInventory(inventory: OperatorInventory, transactions: number, table: CostTable): LayerTally {
  return tallyLayer(inventory.unit, 'unit', inventoryCounts(inventory, transactions), table);
}
