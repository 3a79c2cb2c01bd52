/**
 * The residual adder's operator inventory for the ACEv2 tally: what one transaction
 * (one element per lane) fires, read off the emitted netlist
 * (../elementwise/laneInventory.ts), so it counts exactly the operators the
 * RTL contains at the widths it computes them. What each lane field's
 * operators are for is the only thing stated here.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import type { ResidualConfig } from './config.ts';
import { generateResidual } from './generate.ts';

export function residualInventory(c: ResidualConfig): OperatorInventory {
  return laneInventory(generateResidual(c), { pa: 'scaling', pb: 'scaling', s: 'residual', r: 'scaling', out: 'scaling' });
}
