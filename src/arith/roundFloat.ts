/**
 * Rounding a real number (a JS double) to an integer, with the same mode
 * names as the integer rounding shifts. Quantizers (round(w / s)) and the
 * float stages that end a conventional requantizer use it; fp32 hardware
 * rounding to integer is round-half-even (`rne`), which is also what tf.round
 * does. Exact for every finite double (doubles >= 2^52 are already integers).
 */
import type { RoundingMode } from './rounding.ts';

export function roundFloat(x: number, mode: RoundingMode): number {
  if (!Number.isFinite(x)) throw new RangeError(`roundFloat: ${x} is not a finite number`);
  const f = Math.floor(x);
  const frac = x - f; // exact: f and x share the exponent range, 0 <= frac < 1
  if (frac === 0) return f === 0 ? 0 : f; // no -0: quantized values are integers
  switch (mode) {
    case 'rdn':
      return f;
    case 'rnu':
      return frac >= 0.5 ? f + 1 : f;
    case 'rne':
      return frac > 0.5 || (frac === 0.5 && f % 2 !== 0) ? f + 1 : f;
    case 'rna':
      return frac > 0.5 || (frac === 0.5 && x >= 0) ? f + 1 : f;
    case 'rod':
      return f % 2 === 0 ? f + 1 : f;
  }
}

/** 1.5 * 2^52: adding it moves a double below 2^51 in magnitude to where the spacing is 1. */
const RNE_MAGIC = 6755399441055744;

/**
 * roundFloat(x, 'rne') without a data-dependent branch, for quantizers' inner
 * loops (a mispredicted "frac > 0.5" costs more than the rest of the element).
 * For |x| < 2^51, x + 1.5*2^52 lands where the doubles are the integers, so the
 * hardware's round-to-nearest-even rounds x there (1.5*2^52 is even, so ties go
 * to the even integer as they do in roundFloat), and subtracting it is exact;
 * the result is never -0, as in roundFloat. Larger or non-finite x take
 * roundFloat itself. Equal to roundFloat(x, 'rne') for every double
 * (test/arith/roundFloatFast.test.ts).
 */
export function roundHalfEven(x: number): number {
  if (!(Math.abs(x) < 2251799813685248)) return roundFloat(x, 'rne');
  return x + RNE_MAGIC - RNE_MAGIC;
}
