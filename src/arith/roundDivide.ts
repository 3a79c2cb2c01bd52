/**
 * Rounding division by a positive integer: x / d rounded by a RoundingMode,
 * exactly. It generalises roundShift (d = 2^k gives the same result in every
 * mode) to the divisors average pooling needs (a 3x3 window divides by 9).
 * Mode semantics are those of rounding.ts: rnu ties toward +inf, rne ties to
 * even, rna ties away from zero, rdn floor, rod floor with the LSB forced to 1
 * when the division is inexact.
 */
import type { RoundingMode } from './rounding.ts';
import { ShapeError } from './shape.ts';

export function roundDivide(x: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d <= 0n) throw new ShapeError(`roundDivide: divisor ${d} is invalid: the divisor must be a positive integer`);
  // floor division (BigInt / truncates toward zero)
  let q = x / d;
  if (x % d !== 0n && x < 0n) q -= 1n;
  const r = x - q * d; // 0 <= r < d
  const twice = 2n * r;
  switch (mode) {
    case 'rdn':
      return q;
    case 'rnu':
      return twice >= d ? q + 1n : q;
    case 'rne':
      return twice > d || (twice === d && (q & 1n) === 1n) ? q + 1n : q;
    case 'rna':
      return twice > d || (twice === d && x >= 0n) ? q + 1n : q;
    case 'rod':
      return r !== 0n ? q | 1n : q;
  }
}

/** The same on JS numbers; exact while |x| < 2^53 and 0 < d < 2^52. */
export function roundDivideNumber(x: number, d: number, mode: RoundingMode): number {
  // Floor division without a product that can pass 2^53: the remainder of
  // IEEE % is exact, x - rt is exact (same sign as x, no larger), and the
  // division of that exact multiple of d is exact. (Math.floor(x / d) * d
  // rounds when |x| is near 2^53: -9007199254740985 / 11 came out wrong.)
  const rt = x % d;
  let qq = (x - rt) / d;
  let r = rt;
  if (r < 0) {
    qq -= 1;
    r += d;
  }
  const twice = 2 * r;
  switch (mode) {
    case 'rdn':
      return qq;
    case 'rnu':
      return twice >= d ? qq + 1 : qq;
    case 'rne':
      return twice > d || (twice === d && qq % 2 !== 0) ? qq + 1 : qq;
    case 'rna':
      return twice > d || (twice === d && x >= 0) ? qq + 1 : qq;
    case 'rod':
      return r !== 0 && qq % 2 === 0 ? qq + 1 : qq;
  }
}
