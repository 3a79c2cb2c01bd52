/** QuantNorm's operator inventory: one multiply and one add per lane, in the 'norm' category. */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { type QuantNormConfig, deriveQuantNorm } from './config.ts';

export function quantNormInventory(c: QuantNormConfig): OperatorInventory {
  const d = deriveQuantNorm(c);
  return {
    unit: c.name,
    operators: [
      { kind: 'intMul', a: d.acc.width, b: d.multiplier.width, category: 'norm', firingsPerTransaction: c.lanes },
      { kind: 'intAdd', a: d.product.width, b: d.offset.width, category: 'norm', firingsPerTransaction: c.lanes },
    ],
  };
}
