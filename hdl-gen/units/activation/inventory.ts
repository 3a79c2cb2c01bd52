/**
 * The activation unit's operator inventory for the ACEv2 tally: what one transaction
 * (one element per lane) fires, read off the emitted netlist
 * (../elementwise/laneInventory.ts), so it counts exactly the operators the
 * RTL contains at the widths it computes them. What each lane field's
 * operators are for is the only thing stated here.
 * ReLU and clipped ReLU are their clamp's compares (the ones a value can
 * trip); PReLU adds its slope multiply and rounding shift (its sign test and
 * select are a bit and a mux: free).
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import type { ActivationConfig } from './config.ts';
import { generateActivation } from './generate.ts';

export function activationInventory(c: ActivationConfig): OperatorInventory {
  return laneInventory(generateActivation(c), { x: 'activation', p: 'activation', y: 'activation', out: 'scaling' });
}
