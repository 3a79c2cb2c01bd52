/**
 * The average-pooling unit's operator inventory for the ACEv2 tally, per
 * output transaction (one pooled pixel, all channels), at the widths the RTL
 * computes (the same derived shapes generate.ts uses):
 *   - N-1 adds of a pixel into the exact sum (the first pixel of a window starts it);
 *   - N = 2^p: the rounding shift (its +1/2 add except for rdn and rod);
 *   - other N: the multiply by the reciprocal, the add of the offset constant B
 *     (absent when B = 0), and the shift by L.
 * Not listed, by the cost table's conventions (docs/acev2.md): counters,
 * muxes, the sign select of rna's B and the bit-0 fix of rne and rod (a NOR
 * of the fraction's top bits, like rne's sticky OR).
 * Counted per output, not per input: cropped pixels compute nothing that
 * leaves the unit, as the analytic count (outputs x N) says.
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';

export function avgPoolInventory(c: AvgPoolConfig): OperatorInventory {
  const d = deriveAvgPool(c);
  const n = c.channels;
  const ops: InventoryEntry[] = [];
  if (d.count > 1) ops.push({ kind: 'intAdd', a: d.sum.width, b: d.value.width, category: 'pooling', firingsPerTransaction: n * (d.count - 1) });
  const div = d.division;
  if (div.kind === 'shift') {
    if (div.shift > 0) {
      if (c.rounding !== 'rdn' && c.rounding !== 'rod') ops.push({ kind: 'intAdd', a: d.sum.width, b: 1, category: 'pooling', firingsPerTransaction: n });
      ops.push({ kind: 'shiftConst', width: d.sum.width, category: 'pooling', firingsPerTransaction: n });
    }
  } else {
    ops.push({ kind: 'intMul', a: d.sum.width, b: div.multiplier.width, category: 'pooling', firingsPerTransaction: n });
    if (div.offset !== undefined) {
      ops.push({ kind: 'intAdd', a: div.product.width, b: div.offset.width, category: 'pooling', firingsPerTransaction: n });
    }
    ops.push({ kind: 'shiftConst', width: div.shifted.width, category: 'pooling', firingsPerTransaction: n });
  }
  return { unit: c.name, operators: ops };
}
