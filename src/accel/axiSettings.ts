/**
 * The AXI build's bus parameters, resolved once from the configuration (the
 * optional fields' defaults live here, not in the schema, so an on-chip
 * configuration object carries no AXI keys), and the word -> beat rule every
 * side shares: an on-chip memory word of W bits occupies ceil(W / dataBits)
 * beats in external memory, little-endian, the top beat zero-padded.
 */
import type { AccelConfig } from './config.ts';
import { actWordWidth, descriptorWidth, paramWordWidth, weightWordWidth } from './layout.ts';

export interface AxiSettings {
  readonly dataBits: number;
  readonly dataBytes: number;
  /** Byte address width of m_axi_* (and of the base registers). */
  readonly addrBits: 32;
  readonly maxBurst: number;
  readonly maxOutstanding: number;
}

export function axiSettings(c: AccelConfig): AxiSettings {
  if (c.memory !== 'axi') throw new Error('axiSettings: the configuration is not an AXI build (memory must be "axi"; this is a bug)');
  const dataBits = c.axiDataBits ?? 64;
  return Object.freeze({ dataBits, dataBytes: dataBits / 8, addrBits: 32, maxBurst: c.axiMaxBurst ?? 16, maxOutstanding: c.axiMaxOutstanding ?? 4 });
}

export const beatsFor = (bits: number, s: AxiSettings): number => Math.ceil(bits / s.dataBits);

/**
 * The input tensor is not stored as lane words but as plain NHWC elements, each a two's-complement
 * value in the smallest power-of-two number of bytes that holds actBits (1, 2 or 4), little-endian,
 * packed back to back (a beat holds dataBytes / elementBytes of them): what a driver has at hand
 * (an int8 / int16 image), and no lane padding (a 1-channel image would waste 7 of 8 lanes).
 */
export function inputElementBytes(c: AccelConfig): number {
  const bytes = Math.ceil(c.actBits / 8);
  return bytes <= 1 ? 1 : bytes <= 2 ? 2 : 4;
}

/**
 * Beats per word of each kind of memory word. `diagWeights`: the weight words of every layer but a
 * convolution (depthwise, pooling, add: diagonal by construction) are stored as their diagonal
 * only (lanes weights), which the DMA expands: lanes times less traffic for them.
 */
export function wordBeats(c: AccelConfig): { program: number; weights: number; diagWeights: number; params: number; acts: number } {
  const s = axiSettings(c);
  return { program: beatsFor(descriptorWidth(c), s), weights: beatsFor(weightWordWidth(c), s), diagWeights: beatsFor(c.lanes * c.weightBits, s), params: beatsFor(paramWordWidth(c), s), acts: beatsFor(actWordWidth(c), s) };
}
