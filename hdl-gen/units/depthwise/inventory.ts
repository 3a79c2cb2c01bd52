/**
 * The depthwise engine's operator inventory for the ACEv2 cost model, read
 * off its emitted netlist (../macInventory.ts): per output transaction (one
 * output pixel) each of the kernel^2 multipliers of every channel fires
 * once, each a MAC with the multiplier's operand widths; the adder tree that
 * sums them into `sum_ch<c>` is their accumulation (part of the MAC,
 * src/cost/ops.ts convention), whose width is carried for the energy model.
 * Counted per output, not per input: a pixel transaction may complete no
 * window (stride, edges) and weight taps compute nothing. Padding taps are
 * counted, as the hardware multiplies the zeros and the analytic per-layer
 * count (outputs x k^2 x C) counts them.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import { macInventory, signalWidth } from '../macInventory.ts';
import type { DepthwiseConfig } from './config.ts';
import { depthwise } from './depthwise.ts';

const CHANNEL_SUM = /^sum_ch\d+$/;

/** Operators firing per output handshake; multiply by outHandshakes for a tally. */
export function depthwiseInventory(c: DepthwiseConfig): OperatorInventory {
  const top = depthwise(c);
  return macInventory(top, (o) => {
    if (!CHANNEL_SUM.test(o.signal)) return { role: 'control' }; // position counters, window logic, handshake
    if (o.op === 'add') return { role: 'accumulate' };
    if (o.op === 'mul') return { role: 'product', mac: { kind: 'mac', weight: o.b, activation: o.a, acc: signalWidth(top, o.signal) } };
    return undefined;
  });
}
