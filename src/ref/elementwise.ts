/**
 * Per-element integer operations of the hardware, on JS numbers: the
 * functions RTL units are co-simulated against, one output at a time.
 * Each is composed from src/arith (roundShiftNumber, clampNumber, bounds of
 * a Shape) so the rounding and saturation rules exist once; elementwiseBig.ts
 * has the same functions on BigInt. docs/semantics.md states them.
 *
 * Inputs are integers that fit their declared shapes; the functions check
 * that their widest intermediate is exact (< 2^53) and throw otherwise.
 */
import { type RoundingMode, type Shape, boundsNumber, clampNumber, roundShiftNumber, roundDivideNumber } from '../arith/index.ts';
import { checkSafe } from './safeInteger.ts';

/** saturate(x) to the shape's range, on numbers. */
export function saturateNumber(x: number, out: Shape): number {
  const { lo, hi } = boundsNumber(out);
  return clampNumber(x, lo, hi);
}

/** QuantNorm: acc * M + B (exact, no rounding: its scale 2^-S is applied later). */
export function quantNorm(acc: number, multiplier: number, offset: number): number {
  return checkSafe(checkSafe(acc * multiplier, 'quantNorm') + offset, 'quantNorm');
}

/**
 * The fused integer requantizer: saturate(roundShift(acc * M + B, S, mode), out).
 * With M, B, S from QuantNorm and Double Quantization folded together this is
 * the whole PikeLPN elementwise path of a layer without PReLU.
 */
export function requantize(acc: number, multiplier: number, offset: number, shift: number, mode: RoundingMode, out: Shape): number {
  return saturateNumber(roundShiftNumber(quantNorm(acc, multiplier, offset), shift, mode), out);
}

/** The double-quantized scale stage: saturate(roundShift(n * Q, S, mode), out). */
export function doubleQuantRequantize(n: number, scale: number, shift: number, mode: RoundingMode, out: Shape): number {
  return saturateNumber(roundShiftNumber(checkSafe(n * scale, 'doubleQuantRequantize'), shift, mode), out);
}

/** PReLU with a quantized slope: x >= 0 ? x : roundShift(x * P, Sp, mode). Not saturated (saturation follows). */
export function prelu(x: number, slope: number, slopeShift: number, mode: RoundingMode): number {
  return x >= 0 ? x : roundShiftNumber(checkSafe(x * slope, 'prelu'), slopeShift, mode);
}

/** ReLU as saturation: max(x, 0), then the output shape's upper bound. */
export function relu(x: number, out: Shape): number {
  return saturateNumber(x < 0 ? 0 : x, out);
}

/** Clipped ReLU (ReLU6 after quantization): clamp(x, 0, hi). */
export function clippedRelu(x: number, hi: number): number {
  return clampNumber(x, 0, hi);
}

/**
 * Residual add with alignment: two tensors at different scales brought to a
 * common one by integer multipliers, summed, rounded, saturated:
 * saturate(roundShift(x1 * A1 + x2 * A2, S, mode), out).
 */
export function residualAdd(x1: number, a1: number, x2: number, a2: number, shift: number, mode: RoundingMode, out: Shape): number {
  return saturateNumber(alignedSum(x1, a1, x2, a2, shift, mode), out);
}

/** The residual add before saturation (a PReLU may sit between): roundShift(x1*A1 + x2*A2, S, mode). */
export function alignedSum(x1: number, a1: number, x2: number, a2: number, shift: number, mode: RoundingMode): number {
  const s = checkSafe(checkSafe(x1 * a1, 'residualAdd') + checkSafe(x2 * a2, 'residualAdd'), 'residualAdd');
  return roundShiftNumber(s, shift, mode);
}

/** Average of a window from its integer sum: roundDivide(sum, count, mode). Stays in the input's range. */
export function averageOf(sum: number, count: number, mode: RoundingMode): number {
  return roundDivideNumber(checkSafe(sum, 'averageOf'), count, mode);
}
