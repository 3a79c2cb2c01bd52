/**
 * The least external-memory traffic per inference, defined once here for the
 * performance report and the AXI co-simulation. Two floors, because they
 * answer different questions and used to be computed in two places that
 * disagreed without saying why (3,463.5 against 3,454 bytes on mnist_tiny):
 *
 *  - `networkBytes`, at the network's own widths: each weighted layer's
 *    weights at its weightBits and its per-channel requantization fields at
 *    the lane's parameter width, the input and output tensors at their bits,
 *    and, when activations are spilled, each intermediate tensor written and
 *    read once at its bits. What any design of this arithmetic moves.
 *  - `elementBytes`, at this design's element widths: every weight at
 *    config.weightBits, the input, output and spilled intermediates at
 *    config.actBits, no parameters. The floor for a design that stores each
 *    element at its lane width; what the AXI tables in docs/performance.md
 *    compare against.
 *
 * With 4-bit activations held in 9-bit lanes, a spilled build's activation
 * traffic is about twice `networkBytes`' share of it: that is the lane
 * width, not the banding, and the two ratios side by side show it.
 * Bytes are bits / 8 (fractional where a tensor's bits are not whole bytes).
 */
import type { IntLayer, IntNetwork } from '../model/index.ts';
import { paramLaneWidth } from './layout.ts';
import type { AccelProgram } from './program.ts';

export interface MinimumTraffic {
  readonly networkBytes: number;
  readonly elementBytes: number;
  /** Whether intermediates leave the chip (a spilled program), so both floors count them. */
  readonly intermediatesLeaveChip: boolean;
}

/** Elements packed at `bits` each, in bytes (fractional: the traffic model's unit). */
export const packedBytes = (elements: number, bits: number): number => (elements * bits) / 8;
const bytes = packedBytes;

type Weighted = Extract<IntLayer, { weights: unknown }>;
const weighted = (l: IntLayer): l is Weighted => l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense';

/** A layer's weights at its own width (0 for layers without weights). */
export function layerWeightBytes(l: IntLayer): number {
  return weighted(l) ? bytes(l.weights.length, l.weightBits) : 0;
}

/** A weighted layer's per-channel requantization fields at the lane's parameter width (0 for others). */
export function layerParamBytes(l: IntLayer, outChannels: number, program: AccelProgram): number {
  return weighted(l) ? bytes(outChannels, paramLaneWidth(program.config)) : 0;
}

export function minimumTraffic(program: AccelProgram, net: IntNetwork): MinimumTraffic {
  const c = program.config;
  const spilled = program.spill !== undefined;
  // A layer's descriptors (tiles, row bands) carry its name; its output is theirs added.
  const outputElements = (name: string): number => program.layers.reduce((t, d) => t + (d.name === name ? d.outputElements : 0), 0);
  const outChannels = (name: string): number => {
    const d = program.layers.find((x) => x.name === name)!;
    return d.tile?.layerOutChannels ?? d.outChannels;
  };
  const inElements = program.input.height * program.input.width * program.input.channels;
  const outElements = program.output.height * program.output.width * program.output.channels;
  const intermediates = spilled ? net.layers.slice(0, -1) : [];
  const last = net.layers[net.layers.length - 1]!;
  const networkBytes =
    net.layers.reduce((t, l) => t + layerWeightBytes(l) + layerParamBytes(l, outChannels(l.name), program), 0) +
    bytes(inElements, net.input.tensor.bits) +
    bytes(outElements, last.output.bits) +
    intermediates.reduce((t, l) => t + 2 * bytes(outputElements(l.name), l.output.bits), 0);
  const weights = net.layers.reduce((t, l) => t + (weighted(l) ? l.weights.length : 0), 0);
  const acts = inElements + outElements + intermediates.reduce((t, l) => t + 2 * outputElements(l.name), 0);
  const elementBytes = Math.ceil((weights * c.weightBits) / 8) + Math.ceil((acts * c.actBits) / 8);
  return { networkBytes, elementBytes, intermediatesLeaveChip: spilled };
}
