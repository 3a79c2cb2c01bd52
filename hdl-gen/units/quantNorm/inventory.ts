/**
 * The QuantNorm unit's operator inventory for the ACEv2 tally: what one transaction
 * (one element per lane) fires, read off the emitted netlist
 * (../elementwise/laneInventory.ts), so it counts exactly the operators the
 * RTL contains at the widths it computes them. What each lane field's
 * operators are for is the only thing stated here.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import type { QuantNormConfig } from './config.ts';
import { generateQuantNorm } from './generate.ts';

export function quantNormInventory(c: QuantNormConfig): OperatorInventory {
  return laneInventory(generateQuantNorm(c), { p: 'norm', offset: 'norm', out: 'norm' });
}
