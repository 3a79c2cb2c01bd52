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

/** Beats per word of each kind of memory word. */
export function wordBeats(c: AccelConfig): { program: number; weights: number; params: number; acts: number } {
  const s = axiSettings(c);
  return { program: beatsFor(descriptorWidth(c), s), weights: beatsFor(weightWordWidth(c), s), params: beatsFor(paramWordWidth(c), s), acts: beatsFor(actWordWidth(c), s) };
}
