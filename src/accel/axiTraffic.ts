/**
 * The AXI build's traffic and cycle model, from the layer program alone: the
 * bytes the DMA reads (every descriptor, every weight and parameter word once,
 * the input once, each word padded to whole beats) and writes (the output
 * tensor), which the RTL's counters and the memory model's own count must
 * equal exactly; and the compute cycles (the on-chip cycle model: the layer
 * engine is unchanged). Stall cycles depend on the memory's latency and
 * bandwidth and are measured, not modelled.
 */
import { axiMemoryMap } from './axiMemoryMap.ts';
import { programPerformance } from './performance.ts';
import type { AccelProgram } from './program.ts';

export interface AxiTraffic {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** The least any design moves: each of the network's weights once at weightBits, the input and the output once at actBits (bytes). */
  readonly minimumBytes: number;
  readonly computeCycles: number;
}

export function axiTraffic(p: AccelProgram): AxiTraffic {
  const map = axiMemoryMap(p);
  let read = 0;
  let written = 0;
  for (const r of map.regions) (r.access === 'read' ? (read += r.bytes) : (written += r.bytes));
  const c = p.config;
  // The network's own weights (convolution and depthwise; pooling and adds have none) at weightBits,
  // and the input and output tensors at actBits: what any design must move at least once.
  const weights = p.layers.reduce((t, d) => t + (d.kind === 'conv' ? d.kh * d.kw * d.inChannels * d.outChannels : d.op === 'depthwiseConv2d' ? d.kh * d.kw * d.outChannels : 0), 0);
  const acts = p.input.height * p.input.width * p.input.channels + p.output.height * p.output.width * p.output.channels;
  const minimum = Math.ceil((weights * c.weightBits) / 8) + Math.ceil((acts * c.actBits) / 8);
  return { bytesRead: read, bytesWritten: written, minimumBytes: minimum, computeCycles: programPerformance(p).cycles };
}
