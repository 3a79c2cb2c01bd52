/**
 * Closed integer ranges, and the smallest shape that holds one.
 *
 * Widths that depend on data (accumulators, products of encoded weights) are
 * derived from ranges, never guessed: the width is the smallest shape that
 * holds every value the operation can produce.
 */
import { type Shape, shape, minOf, maxOf, ShapeError } from './shape.ts';

export interface Range {
  readonly lo: bigint;
  readonly hi: bigint;
}

export function range(lo: bigint, hi: bigint): Range {
  if (lo > hi) throw new ShapeError(`range: lo ${lo} is above hi ${hi}: a range needs lo <= hi`);
  return Object.freeze({ lo, hi });
}

export function rangeOf(s: Shape): Range {
  return range(minOf(s), maxOf(s));
}

/** Number of bits of a non-negative integer (0 needs 0 bits). */
export function bitLength(v: bigint): number {
  if (v < 0n) throw new ShapeError(`bitLength: ${v} is negative`);
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * Smallest shape holding every value of r: unsigned when r.lo >= 0, else
 * signed. A range holding only 0 gets unsigned(1) (Verilog has no 0-bit wire).
 */
export function shapeOfRange(r: Range): Shape {
  if (r.lo >= 0n) return shape(Math.max(1, bitLength(r.hi)), false);
  // signed n bits holds [-2^(n-1), 2^(n-1)-1]
  const negBits = bitLength(-r.lo - 1n) + 1; // -2^(k) needs k+1 bits
  const posBits = r.hi > 0n ? bitLength(r.hi) + 1 : 1;
  return shape(Math.max(negBits, posBits), true);
}

export function addRanges(a: Range, b: Range): Range {
  return range(a.lo + b.lo, a.hi + b.hi);
}

export function subRanges(a: Range, b: Range): Range {
  return range(a.lo - b.hi, a.hi - b.lo);
}

export function mulRanges(a: Range, b: Range): Range {
  const c = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  let lo = c[0]!;
  let hi = c[0]!;
  for (const v of c) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return range(lo, hi);
}

/** Range of a sum of k terms each in r. */
export function scaleRange(r: Range, k: bigint): Range {
  if (k < 0n) throw new ShapeError(`scaleRange: count ${k} is negative`);
  return range(r.lo * k, r.hi * k);
}

export function unionRanges(a: Range, b: Range): Range {
  return range(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi);
}
