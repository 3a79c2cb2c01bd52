/**
 * The average-pooling unit's operator inventory for the ACEv2 tally, per
 * output transaction (one pooled pixel, all channels):
 *   - N-1 adds of a pixel into the exact sum (the first pixel of a window
 *     starts it): one sequential adder per channel, so its firings are stated
 *     here;
 *   - the division, read off the netlist (../elementwise/laneInventory.ts):
 *     for N = 2^p the rounding shift as emitted (its increment at the floor's
 *     width, rne/rod/rna's sticky test); otherwise the multiply by the
 *     reciprocal, the add of the offset constant B (absent when B = 0), the
 *     bit-0 fix's zero test of rne (even N) and rod, and the shift by L.
 * Not operators (docs/acev2.md): counters, muxes, the sign select of rna's B.
 * Counted per output, not per input: cropped pixels compute nothing that
 * leaves the unit, as the analytic count (outputs x N) says.
 */
import type { InventoryEntry, OperatorInventory } from '../../../src/cost/index.ts';
import { laneInventory } from '../elementwise/laneInventory.ts';
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';
import { generateAvgPool } from './generate.ts';

export function avgPoolInventory(c: AvgPoolConfig): OperatorInventory {
  const d = deriveAvgPool(c);
  const n = c.channels;
  const ops: InventoryEntry[] = [];
  // The window sum: one adder per channel, reused count - 1 times per output
  // (how often a sequential adder fires is not in the netlist's structure).
  if (d.count > 1) ops.push({ kind: 'intAdd', a: d.sum.width, b: d.value.width, category: 'pooling', firingsPerTransaction: n * (d.count - 1) });
  // The division: a lane pipeline (one lane per channel) read off the netlist.
  ops.push(...laneInventory(generateAvgPool(c), { s: 'pooling', p: 'pooling', r: 'pooling', out: 'pooling' }).operators);
  // The reciprocal path's final shift is a plain constant shift (wiring, cost
  // 0); listed by name as src/cost lists it.
  if (d.division.kind === 'reciprocal') ops.push({ kind: 'shiftConst', width: d.division.shifted.width, category: 'pooling', firingsPerTransaction: n });
  return { unit: c.name, operators: ops };
}
