/**
 * Saturation (clamping) to a shape's range, and to an explicit [lo, hi].
 * Saturation never wraps: a value above the top becomes the top.
 */
import { type Shape, minOf, maxOf } from './shape.ts';

export function saturate(x: bigint, s: Shape): bigint {
  const lo = minOf(s);
  const hi = maxOf(s);
  return x < lo ? lo : x > hi ? hi : x;
}

export function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Bounds of a shape as JS numbers, for the reference model's inner loops
 *  (exact for widths up to 53 bits; wider shapes must use the BigInt path). */
export function boundsNumber(s: Shape): { lo: number; hi: number } {
  if (s.width > 53) throw new RangeError(`boundsNumber: ${s.width}-bit bounds are not exact as numbers`);
  return { lo: Number(minOf(s)), hi: Number(maxOf(s)) };
}

export function clampNumber(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * clampNumber for integers x, lo <= hi below 2^51 in magnitude, without a
 * data-dependent branch: (|x - lo| - |x - hi| + lo + hi) / 2 is lo below the
 * range, hi above it and x inside, and every step is exact on such integers
 * (a zero comes out as +0 where clampNumber would pass -0 through).
 */
export function clampSmallInteger(x: number, lo: number, hi: number): number {
  return (Math.abs(x - lo) - Math.abs(x - hi) + lo + hi) / 2;
}
