/** The residual adder's operator inventory: two rescaling multiplies, the add, the rounding shift and the clamp. */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { type ResidualConfig, deriveResidual } from './config.ts';

export function residualInventory(c: ResidualConfig): OperatorInventory {
  const d = deriveResidual(c);
  const n = c.lanes;
  const ops: InventoryEntry[] = [
    { kind: 'intMul', a: d.a.width, b: d.scale.width, category: 'scaling', firingsPerTransaction: n },
    { kind: 'intMul', a: d.b.width, b: d.scale.width, category: 'scaling', firingsPerTransaction: n },
    { kind: 'intAdd', a: d.productA.width, b: d.productB.width, category: 'residual', firingsPerTransaction: n },
  ];
  if (c.shift > 0) {
    if (c.rounding !== 'rdn' && c.rounding !== 'rod') ops.push({ kind: 'intAdd', a: d.sum.width, b: 1, category: 'scaling', firingsPerTransaction: n });
    ops.push({ kind: 'shiftConst', width: d.sum.width, category: 'scaling', firingsPerTransaction: n });
  }
  ops.push({ kind: 'compare', width: d.rounded.width, category: 'scaling', firingsPerTransaction: 2 * n });
  return { unit: c.name, operators: ops };
}
