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
  const q = Math.floor(x / d);
  // x / d can round up across an integer when |x| is large: correct q so that 0 <= r < d.
  let qq = q;
  let r = x - qq * d;
  if (r < 0) {
    qq -= 1;
    r += d;
  } else if (r >= d) {
    qq += 1;
    r -= d;
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
