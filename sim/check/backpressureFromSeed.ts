import type { Backpressure } from '../types.ts';

/**
 * Turns a seed into a backpressure pattern. The percentages come from the seed
 * (10..90 each) so that a list of seeds exercises a spread of stall mixes, and
 * a failing seed replays exactly: the harness draws its stalls from the same seed.
 */
export function backpressureFromSeed(seed: number): Backpressure {
  // One round of a 32-bit integer hash (lowbias32); any fixed mixing would do.
  let h = seed >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return { seed: seed >>> 0, inValidPct: 10 + (h % 81), outReadyPct: 10 + ((h >>> 8) % 81) };
}
