import type { SimDesign } from '../sim/index.ts';

/**
 * A design plus the TypeScript side of its benchmark: a fast stimulus
 * generator and a fast golden check. Swap in another design (e.g. a
 * DSL-generated MAC unit) by providing another BenchDesign.
 */
export interface BenchDesign {
  design: SimDesign;
  /** Output transactions per input transaction (1 for a streaming datapath). */
  outputsPerInput: number;
  /** `count` packed input transactions, deterministic in (seed, stream). */
  generate(count: number, seed: number, stream: number): Uint8Array;
  /**
   * Checks `count` input transactions' outputs against the reference model;
   * returns the number of mismatching outputs.
   */
  check(inputs: Uint8Array, outputs: Uint8Array, count: number): number;
}
