/**
 * The requantizer's operator inventory for the ACEv2 tally: what one
 * transaction (one element per lane) fires, at the widths the RTL computes
 * (from the same derived shapes generate.ts uses).
 *
 * Not listed, by the cost table's conventions (docs/acev2.md): sign tests and
 * selects (the SRDHM overflow test, RoundingDivideByPOT's tie direction), the
 * decoder that turns the 5-bit exponent into a bit mask (the barrel
 * shifter's own control), and rne's sticky OR. A zero point of 0 is no
 * operator: the RTL's "+ 0" is a wire (synthesis removes it).
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import type { RequantizerConfig } from './config.ts';
import { deriveRequantizer } from './config.ts';

export function requantizerInventory(c: RequantizerConfig): OperatorInventory {
  const d = deriveRequantizer(c);
  const n = c.lanes;
  const ops: InventoryEntry[] = [];
  if (d.variant === 'tflite') {
    ops.push(
      { kind: 'intAdd', a: d.acc.width, b: 32, category: 'norm', firingsPerTransaction: n }, // acc + bias
      { kind: 'intMul', a: 32, b: 32, category: 'scaling', firingsPerTransaction: n }, // a * M
      { kind: 'intAdd', a: 64, b: 1, category: 'scaling', firingsPerTransaction: n }, // + 2^30 (the nudge)
      { kind: 'shiftConst', width: 64, category: 'scaling', firingsPerTransaction: n }, // >> 31
      { kind: 'shiftVar', width: 32, amountBits: 5, category: 'scaling', firingsPerTransaction: n }, // >> e
      { kind: 'compare', width: 32, category: 'scaling', firingsPerTransaction: n }, // bits below the half bit != 0
      { kind: 'intAdd', a: 32, b: 1, category: 'scaling', firingsPerTransaction: n }, // + rounding increment
    );
    // + zero point: an asymmetric output's constant; a zero point of 0 (symmetric output) adds nothing.
    if (d.config.outputZeroPoint !== 0) ops.push({ kind: 'intAdd', a: 32, b: 8, category: 'scaling', firingsPerTransaction: n });
    ops.push({ kind: 'compare', width: 32, category: 'scaling', firingsPerTransaction: 2 * n }); // clamp to the output
    return { unit: c.name, operators: ops };
  }
  const q = d.config;
  if (q.bias) ops.push({ kind: 'intAdd', a: d.acc.width, b: d.acc.width, category: 'norm', firingsPerTransaction: n });
  ops.push({ kind: 'intMul', a: d.sum.width, b: d.scale.width, category: 'scaling', firingsPerTransaction: n });
  if (q.shift > 0) {
    // The rounding increment is an add except for floor (rdn) and round-to-odd (rod, an OR).
    if (q.rounding !== 'rdn' && q.rounding !== 'rod') {
      ops.push({ kind: 'intAdd', a: d.product.width, b: 1, category: 'scaling', firingsPerTransaction: n });
    }
    ops.push({ kind: 'shiftConst', width: d.product.width, category: 'scaling', firingsPerTransaction: n });
  }
  ops.push({ kind: 'compare', width: d.rounded.width, category: 'scaling', firingsPerTransaction: 2 * n });
  return { unit: c.name, operators: ops };
}
