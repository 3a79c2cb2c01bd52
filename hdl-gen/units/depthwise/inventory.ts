/**
 * The depthwise engine's operator inventory for the ACEv2 cost model: per
 * output transaction (one output pixel) every channel does kernel^2 MACs.
 * Counted per output, not per input: a pixel transaction may complete no
 * window (stride, edges) and weight taps compute nothing. Padding taps are
 * counted, as the analytic per-layer count (outputs x k^2 x C) counts them.
 * A MAC includes its accumulation (src/cost/ops.ts convention).
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { type DepthwiseConfig, depthwiseGeometry } from './config.ts';

/** Operators firing per output handshake; multiply by outHandshakes for a tally. */
export function depthwiseInventory(c: DepthwiseConfig): OperatorInventory {
  const g = depthwiseGeometry(c);
  return Object.freeze({
    unit: c.name,
    operators: Object.freeze([
      {
        kind: 'mac' as const,
        weight: c.weightBits,
        activation: c.activationBits,
        acc: g.acc.width,
        category: 'mac' as const,
        firingsPerTransaction: c.channels * g.taps,
      },
    ]),
  });
}
