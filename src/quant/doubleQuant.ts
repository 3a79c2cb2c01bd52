/**
 * Double Quantization: quantization scaling factors r_c (per channel or one
 * per tensor) are themselves quantized to Q_c * 2^-S, Q_c an unsigned integer
 * of `scaleBits` bits and S one shift per layer. S minimises the largest
 * relative error |r_c - Q_c 2^-S| / r_c over channels.
 */
import { fitSharedShift } from './sharedShift.ts';
import { type Rational, abs, div, dyadic, fromNumber, sub } from './exactRational.ts';

export interface DoubleQuantResult {
  readonly multipliers: number[];
  readonly shift: number;
  /** max_c |r_c - Q_c 2^-S| / r_c (0 for r_c = 0 represented exactly). */
  readonly maxRelativeError: number;
  readonly exactMaxRelativeError: Rational;
}

export function doubleQuantize(scales: readonly number[], scaleBits: number): DoubleQuantResult {
  if (!Number.isInteger(scaleBits) || scaleBits < 2 || scaleBits > 32) {
    throw new RangeError(`doubleQuant: scaleBits ${scaleBits} is invalid: double-quantized scales have 2 to 32 bits`);
  }
  for (const [i, r] of scales.entries()) {
    if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`doubleQuant: scale[${i}] = ${r} is invalid: scales must be finite and >= 0`);
  }
  const exact = scales.map(fromNumber);
  const rel = (c: number, m: number, s: number): Rational => {
    const d = abs(sub(exact[c]!, dyadic(m, s)));
    return scales[c] === 0 ? d : div(d, exact[c]!);
  };
  const fit = fitSharedShift(scales, scaleBits, false, rel);
  return { multipliers: fit.ints, shift: fit.shift, maxRelativeError: fit.error, exactMaxRelativeError: fit.exactError };
}
