/**
 * The activation unit's operator inventory. ReLU and clipped ReLU are the
 * two compares of a clamp (docs/acev2.md: ReLU is the saturation's lower
 * bound, costed as the saturation); PReLU adds its slope multiply and
 * rounding shift (the sign test and select are free by the same convention).
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { type ActivationConfig, deriveActivation } from './config.ts';

export function activationInventory(c: ActivationConfig): OperatorInventory {
  const d = deriveActivation(c);
  const n = c.lanes;
  const ops: InventoryEntry[] = [];
  if (c.kind !== 'prelu') {
    ops.push({ kind: 'compare', width: d.x.width, category: 'scaling', firingsPerTransaction: 2 * n });
    return { unit: c.name, operators: ops };
  }
  ops.push({ kind: 'intMul', a: d.x.width, b: d.slope.width, category: 'activation', firingsPerTransaction: n });
  if (c.slopeShift > 0) {
    if (c.rounding !== 'rdn' && c.rounding !== 'rod') ops.push({ kind: 'intAdd', a: d.product.width, b: 1, category: 'activation', firingsPerTransaction: n });
    ops.push({ kind: 'shiftConst', width: d.product.width, category: 'activation', firingsPerTransaction: n });
  }
  ops.push({ kind: 'compare', width: d.selected.width, category: 'scaling', firingsPerTransaction: 2 * n });
  return { unit: c.name, operators: ops };
}
