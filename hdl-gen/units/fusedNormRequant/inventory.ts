/**
 * The fused QuantNorm + requantizer's operator inventory for the ACEv2 tally: what one transaction
 * (one element per lane) fires, read off the emitted netlist
 * (../elementwise/laneInventory.ts), so it counts exactly the operators the
 * RTL contains at the widths it computes them. What each lane field's
 * operators are for is the only thing stated here.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import type { FusedNormRequantConfig } from './config.ts';
import { generateFusedNormRequant } from './generate.ts';

export function fusedNormRequantInventory(c: FusedNormRequantConfig): OperatorInventory {
  return laneInventory(generateFusedNormRequant(c), { p: 'norm', offset: 'norm', n: 'norm', r: 'scaling', out: 'scaling' });
}
