/**
 * The MAC array's stream transactions, as bit layouts, and its timing promise.
 *
 * Input transaction = one K-step: in_data packs `cols` activations in the low
 * bits (column c at [c*a +: a]) and `rows` weight encodings above them (row r
 * at [cols*a + r*w +: w]). Every PE (r, c) adds weight[r] * activation[c].
 * Output transaction = one finished tile after `depth` steps: PE (r, c)'s
 * accumulator at [(r*cols + c)*acc +: acc], two's complement when signed.
 *
 * So `depth` input transactions compute a rows x cols block of a pointwise
 * convolution (rows output channels, cols pixels, depth input channels).
 */
import { fromBits, toBits } from '../../../src/arith/index.ts';
import type { MacArrayConfig } from './config.ts';
import { macArrayShapes } from './config.ts';

/** Cycles from an input handshake to the output handshake it completes (always ready). */
export const MAC_ARRAY_LATENCY = 2;

/** Packs one K-step. `weightBits` are the encoded patterns (see weightEncoding.ts); activations are values. */
export function packMacStep(c: MacArrayConfig, weightBits: readonly bigint[], activations: readonly bigint[]): bigint {
  const s = macArrayShapes(c);
  if (weightBits.length !== c.rows) throw new RangeError(`packMacStep: ${weightBits.length} weights given, the array has rows = ${c.rows}`);
  if (activations.length !== c.cols) throw new RangeError(`packMacStep: ${activations.length} activations given, the array has cols = ${c.cols}`);
  let word = 0n;
  activations.forEach((x, i) => {
    word |= toBits(x, s.activation) << BigInt(i * c.activationBits);
  });
  const base = c.cols * c.activationBits;
  weightBits.forEach((w, r) => {
    word |= BigInt.asUintN(c.weightBits, w) << BigInt(base + r * c.weightBits);
  });
  return word;
}

/** Splits an output word into tile[r][c]. */
export function unpackMacTile(c: MacArrayConfig, word: bigint): bigint[][] {
  const s = macArrayShapes(c);
  const w = BigInt(s.acc.width);
  const mask = (1n << w) - 1n;
  return Array.from({ length: c.rows }, (_, r) =>
    Array.from({ length: c.cols }, (_, col) => fromBits((word >> (BigInt(r * c.cols + col) * w)) & mask, s.acc)),
  );
}

/** Packs tile[r][c] (values that fit the accumulator) into an output word. */
export function packMacTile(c: MacArrayConfig, tile: readonly (readonly bigint[])[]): bigint {
  const s = macArrayShapes(c);
  let word = 0n;
  for (let r = 0; r < c.rows; r++) {
    for (let col = 0; col < c.cols; col++) {
      word |= toBits(tile[r]![col]!, s.acc) << BigInt((r * c.cols + col) * s.acc.width);
    }
  }
  return word;
}

/**
 * Cycles the harness counts for `tiles` tiles with input always valid and
 * output always ready: one step per cycle, plus the latency of the last one.
 */
export function macArrayCycles(c: MacArrayConfig, tiles: number): number {
  return tiles * c.depth + MAC_ARRAY_LATENCY;
}
