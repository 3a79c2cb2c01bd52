/**
 * The fused unit's operator inventory: per lane one acc x (m+q)-bit multiply
 * and one add (where the unfused pair has an acc x m multiply, an add and an
 * (acc+m+1) x q multiply: the fold saves m*q ACEv2 units per element), then
 * the rounding shift and the clamp of the requantizer.
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { type FusedNormRequantConfig, deriveFusedNormRequant } from './config.ts';

export function fusedNormRequantInventory(c: FusedNormRequantConfig): OperatorInventory {
  const d = deriveFusedNormRequant(c);
  const n = c.lanes;
  const ops: InventoryEntry[] = [
    { kind: 'intMul', a: d.acc.width, b: d.foldedMultiplier.width, category: 'norm', firingsPerTransaction: n },
    { kind: 'intAdd', a: d.product.width, b: d.foldedOffset.width, category: 'norm', firingsPerTransaction: n },
  ];
  if (c.shift > 0) {
    if (c.rounding !== 'rdn' && c.rounding !== 'rod') ops.push({ kind: 'intAdd', a: d.sum.width, b: 1, category: 'scaling', firingsPerTransaction: n });
    ops.push({ kind: 'shiftConst', width: d.sum.width, category: 'scaling', firingsPerTransaction: n });
  }
  ops.push({ kind: 'compare', width: d.rounded.width, category: 'scaling', firingsPerTransaction: 2 * n });
  return { unit: c.name, operators: ops };
}
