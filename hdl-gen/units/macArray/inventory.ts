/**
 * The MAC array's operator inventory for the ACEv2 cost model: per input
 * transaction (one K-step) every PE does one MAC. Under the cost model's
 * convention (src/cost/ops.ts, after PokeBNN's ACE) a MAC includes its
 * accumulation, so the accumulator adds are not listed separately; the
 * accumulator width is carried for the energy model.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { type MacArrayConfig, macArrayShapes } from './config.ts';

/** Operators firing per input handshake; multiply by inHandshakes for a tally. */
export function macArrayInventory(c: MacArrayConfig): OperatorInventory {
  const s = macArrayShapes(c);
  return Object.freeze({
    unit: c.name,
    operators: Object.freeze([
      {
        kind: 'mac' as const,
        weight: c.weightBits,
        activation: c.activationBits,
        acc: s.acc.width,
        category: 'mac' as const,
        firingsPerTransaction: c.rows * c.cols,
      },
    ]),
  });
}
