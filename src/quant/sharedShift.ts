/**
 * Approximate real values v_i by integers M_i of `bits` bits and ONE shared
 * shift S: v_i ~ M_i * 2^-S. The search is over S; for a given S every M_i is
 * the nearest representable integer (round, then clamp to the code range),
 * which minimises each element's error. The chosen S minimises the largest
 * per-element error `errorOf` reports (ties: the smaller S, fewer bits later).
 *
 * Why errors never grow with bits: at a fixed S, b+1 bits can represent every
 * integer b bits can, so each element's error is <= ; and for S below the
 * "fit" shift (the largest S at which nothing clamps) the grids nest, so the
 * fit shift is at least as good as any smaller one. The search covers
 * [fit, fit + 30] for every width, which for b+1 bits includes everything
 * b bits could reach. QuantNorm, Double Quantization and PReLU slopes use it.
 */
import { roundFloat, clampNumber } from '../arith/index.ts';
import { type Rational, cmp, maxOf, toNumber, ZERO } from './exactRational.ts';

export interface SharedShiftFit {
  readonly ints: number[];
  readonly shift: number;
  /** Largest per-element error at the chosen shift (rounded to a double for reports). */
  readonly error: number;
  /** The same, exactly: shifts are chosen by exact comparison, so rounding noise never decides. */
  readonly exactError: Rational;
}

/** errorOf(i, M_i, S): the exact error element i suffers when approximated by M_i * 2^-S. */
export type ElementError = (i: number, m: number, shift: number) => Rational;

export const SHIFT_SEARCH_SPAN = 30;
export const MIN_SHIFT = -64;
export const MAX_SHIFT = 128;

export function fitSharedShift(values: readonly number[], bits: number, signed: boolean, errorOf: ElementError): SharedShiftFit {
  if (!Number.isInteger(bits) || bits < (signed ? 2 : 1) || bits > 32) {
    throw new RangeError(`fitSharedShift: bits ${bits} is invalid: need ${signed ? 2 : 1} to 32 for ${signed ? 'signed' : 'unsigned'} integers`);
  }
  const qmax = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const qmin = signed ? -(2 ** (bits - 1)) : 0;
  let maxAbs = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`fitSharedShift: value ${v} is not finite`);
    if (!signed && v < 0) throw new RangeError(`fitSharedShift: value ${v} is negative but the integers are unsigned`);
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (maxAbs === 0) {
    const e = values.reduce<Rational>((m, _, i) => maxOf(m, errorOf(i, 0, 0)), ZERO);
    return { ints: values.map(() => 0), shift: 0, error: toNumber(e), exactError: e };
  }
  // Largest S with maxAbs * 2^S <= qmax (before rounding).
  const fit = clampNumber(Math.floor(Math.log2(qmax / maxAbs)), MIN_SHIFT, MAX_SHIFT);
  let best: { ints: number[]; shift: number; err: Rational } | undefined;
  for (let s = fit; s <= Math.min(MAX_SHIFT, fit + SHIFT_SEARCH_SPAN); s++) {
    const p = 2 ** s;
    const ints = values.map((v) => clampNumber(roundFloat(v * p, 'rne'), qmin, qmax));
    let err = ZERO;
    for (let i = 0; i < ints.length; i++) err = maxOf(err, errorOf(i, ints[i]!, s));
    if (best === undefined || cmp(err, best.err) < 0) best = { ints, shift: s, err };
  }
  return { ints: best!.ints, shift: best!.shift, error: toNumber(best!.err), exactError: best!.err };
}
