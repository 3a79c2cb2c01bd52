/**
 * The requantizer's operator inventory for the ACEv2 tally: what one transaction
 * (one element per lane) fires, read off the emitted netlist
 * (../elementwise/laneInventory.ts), so it counts exactly the operators the
 * RTL contains at the widths it computes them. What each lane field's
 * operators are for is the only thing stated here.
 *
 * The TFLite variant's RTL is wider than TFLite's int32 algorithm in a few
 * places and builds its sticky mask with a second barrel shifter; src/cost's
 * analytic baseline keeps TFLite's widths (docs/acev2.md, "Hardware vs
 * analytic").
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import type { RequantizerConfig } from './config.ts';
import { generateRequantizer } from './generate.ts';

export function requantizerInventory(c: RequantizerConfig): OperatorInventory {
  const m = generateRequantizer(c);
  if (c.variant === 'tflite') {
    return laneInventory(m, { a: 'norm', multiplier: 'scaling', exponent: 'scaling', p: 'scaling', x: 'scaling', y: 'scaling', out: 'scaling' });
  }
  return laneInventory(m, { n: 'norm', scale: 'scaling', p: 'scaling', r: 'scaling', out: 'scaling' });
}
