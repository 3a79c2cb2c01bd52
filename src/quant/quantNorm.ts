/**
 * QuantNorm: batch norm after a quantized convolution as an integer
 * per-channel multiplier and offset with one shift per layer.
 *
 * Real output of channel c in units of a reference scale u (the layer's
 * largest accumulator scale): y_c = g_c * acc + h_c, with
 *   g_c = gamma_c / sqrt(var_c + eps) * s_c / u      (s_c: accumulator scale of channel c)
 *   h_c = (beta_c - gamma_c * mean_c / sqrt(var_c + eps) + gamma_c*bias_c/sqrt(..)) / u
 * QuantNorm gives n_c = acc * M_c + B_c ~ y_c * 2^S, with M_c unsigned
 * `multiplierBits` wide (a negative g_c is handled by negating the channel's
 * weights, exact with symmetric weights) and B_c = round(h_c * 2^S).
 * No rounding happens here: 2^-S is applied by the stage that follows.
 *
 * Error of one output, for |acc| <= A: |g_c - M_c 2^-S| * A + |h_c - B_c 2^-S|,
 * in units of u. S minimises the largest such error over channels.
 */
import { roundFloat } from '../arith/index.ts';
import { fitSharedShift } from './sharedShift.ts';
import { type Rational, abs, add, dyadic, fromInt, fromNumber, mul, sub } from './exactRational.ts';

export interface QuantNormInput {
  /** Per-channel multipliers g_c >= 0 (signs already folded into the weights). */
  readonly multipliers: readonly number[];
  /** Per-channel offsets h_c. */
  readonly offsets: readonly number[];
  /** Largest |accumulator| the layer can produce. */
  readonly accMaxAbs: number;
  readonly multiplierBits: number;
}

export interface QuantNormResult {
  readonly multipliers: number[];
  readonly offsets: number[];
  readonly shift: number;
  /** Bound on |n_c 2^-S - y_c| over every accumulator in range, in units of u (it is attained at acc = +-A). */
  readonly errorBound: number;
  readonly exactErrorBound: Rational;
}

export function quantNormFit(q: QuantNormInput): QuantNormResult {
  if (!Number.isInteger(q.multiplierBits) || q.multiplierBits < 2 || q.multiplierBits > 16) {
    throw new RangeError(`quantNorm: multiplierBits ${q.multiplierBits} is invalid: QuantNorm multipliers have 2 to 16 bits`);
  }
  const a = fromInt(q.accMaxAbs);
  const g = q.multipliers.map(fromNumber);
  const h = q.offsets.map(fromNumber);
  const offsetAt = (c: number, s: number): number => roundFloat(q.offsets[c]! * 2 ** s, 'rne');
  const fit = fitSharedShift(q.multipliers, q.multiplierBits, false, (c, m, s) =>
    add(mul(abs(sub(g[c]!, dyadic(m, s))), a), abs(sub(h[c]!, dyadic(offsetAt(c, s), s)))),
  );
  return {
    multipliers: fit.ints,
    offsets: q.offsets.map((_, c) => offsetAt(c, fit.shift)),
    shift: fit.shift,
    errorBound: fit.error,
    exactErrorBound: fit.exactError,
  };
}
