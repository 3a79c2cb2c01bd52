/**
 * TFLite's int8 requantization (the industry baseline), exactly as gemmlowp
 * (fixedpoint/fixedpoint.h) and TFLite (kernels/internal/common.h) define it:
 *
 *   SaturatingRoundingDoublingHighMul(a, b):   (ARM NEON VQRDMULH)
 *     overflow = a == b == INT32_MIN
 *     ab = (int64)a * b
 *     nudge = ab >= 0 ? 2^30 : 1 - 2^30
 *     result = overflow ? INT32_MAX : (int32)((ab + nudge) / 2^31)   (C division truncates toward zero)
 *   RoundingDivideByPOT(x, e), 0 <= e <= 31:
 *     mask = 2^e - 1; remainder = x & mask
 *     threshold = (mask >> 1) + (x < 0 ? 1 : 0)
 *     result = (x >> e) + (remainder > threshold ? 1 : 0)          (= roundShift(x, e, 'rna'))
 *   MultiplyByQuantizedMultiplier(x, M, shift):
 *     RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), M), max(-shift, 0))
 *
 * The 64-bit product is done exactly on numbers by splitting b into 16-bit
 * halves; elementwiseBig.ts has the straightforward BigInt version and a
 * property test holds them equal.
 */
import { type Shape, roundShiftNumber } from '../arith/index.ts';
import { saturateNumber } from './elementwise.ts';
import { InexactError } from './safeInteger.ts';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO31 = 2147483648;

function checkInt32(x: number, what: string): void {
  if (!Number.isInteger(x) || x < INT32_MIN || x > INT32_MAX) throw new InexactError(`${what}: ${x} is not an int32`);
}

export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  checkInt32(a, 'saturatingRoundingDoublingHighMul a');
  checkInt32(b, 'saturatingRoundingDoublingHighMul b');
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // ab + nudge = a*bh*2^16 + (a*bl + nudge), with b = bh*2^16 + bl, 0 <= bl < 2^16.
  const bl = b & 0xffff;
  const bh = (b - bl) / 65536;
  const ab = a * b; // only its sign is used: the sign of a double product is exact
  const nudge = ab >= 0 ? 1 << 30 : 1 - (1 << 30);
  const p1 = a * bh; // |p1| < 2^46
  const p0 = a * bl + nudge; // |p0| < 2^48
  // floor((p1*2^16 + p0) / 2^31): split p1 = q1*2^15 + r1
  const q1 = Math.floor(p1 / 32768);
  const r1 = p1 - q1 * 32768;
  const rest = r1 * 65536 + p0; // exact, < 2^49
  const restQ = Math.floor(rest / TWO31);
  const floorQ = q1 + restQ;
  const exact = rest - restQ * TWO31 === 0;
  // C++ division truncates toward zero: the value's sign is the sign of ab + nudge.
  const negative = ab < 0 || (ab === 0 && nudge < 0);
  return negative && !exact ? floorQ + 1 : floorQ;
}

export function roundingDivideByPOT(x: number, exponent: number): number {
  checkInt32(x, 'roundingDivideByPOT');
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 31) {
    throw new RangeError(`roundingDivideByPOT: exponent ${exponent} is invalid: gemmlowp allows 0 to 31`);
  }
  return roundShiftNumber(x, exponent, 'rna');
}

export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const xs = x * 2 ** left;
  // C++ computes x * (1 << left_shift) in int32; TFLite's converter keeps it in range. We refuse instead of wrapping.
  checkInt32(xs, `multiplyByQuantizedMultiplier x * 2^${left}`);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(xs, multiplier), right);
}

/** The TFLite requantizer of one element: saturate(MultiplyByQuantizedMultiplier(acc, M, shift), out).
 *  (The int32 bias is added to acc before; the output zero point is 0 in this project's zero-point-free scheme.) */
export function tfliteRequantize(acc: number, multiplier32: number, shift: number, out: Shape): number {
  return saturateNumber(multiplyByQuantizedMultiplier(acc, multiplier32, shift), out);
}

/**
 * TFLite's QuantizeMultiplier: a real multiplier m as M * 2^(shift - 31), M in
 * [2^30, 2^31) (or 0). frexp gives m = q * 2^shift with q in [0.5, 1); M =
 * round(q * 2^31) (std::round: ties away from zero); M = 2^31 is halved.
 */
export function quantizeMultiplier(m: number): { multiplier: number; shift: number } {
  if (!Number.isFinite(m) || m < 0) throw new RangeError(`quantizeMultiplier: multiplier ${m} is invalid: it must be finite and >= 0`);
  if (m === 0) return { multiplier: 0, shift: 0 };
  let shift = Math.floor(Math.log2(m)) + 1;
  let q = m / 2 ** shift;
  // log2 can be off by one near powers of two: normalise q into [0.5, 1).
  while (q >= 1) { q /= 2; shift++; }
  while (q < 0.5) { q *= 2; shift--; }
  let fixed = Math.round(q * TWO31); // q*2^31 > 0, so Math.round (ties up) = std::round (ties away)
  if (fixed === TWO31) { fixed /= 2; shift++; }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: fixed, shift };
}
