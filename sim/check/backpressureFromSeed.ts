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

/**
 * A producer that always offers and a consumer ready 5% of cycles (a wait of
 * 20 cycles on average, often 50+): every pipeline fills and stays full, so
 * input-side stalls happen even in units whose output waits only at the end
 * of a long tile. The seed-derived patterns (10..90% each) rarely do that:
 * mutation testing found a MAC array whose in_ready could be stuck at 1, and
 * pipeline enables stuck at 1, without any test noticing.
 */
export const SLOW_CONSUMER: Readonly<Backpressure> = Object.freeze({ seed: 0x5105, inValidPct: 100, outReadyPct: 5 });
