/**
 * The per-element operations on BigInt: any width, obviously correct, slow.
 * Used where a layer's widths fail the 2^53 proof, and by the property tests
 * that hold the number versions (elementwise.ts, tflite.ts) equal to these.
 */
import { type RoundingMode, type Shape, roundShift, roundDivide, saturate } from '../arith/index.ts';

export function quantNormBig(acc: bigint, multiplier: bigint, offset: bigint): bigint {
  return acc * multiplier + offset;
}

export function requantizeBig(acc: bigint, multiplier: bigint, offset: bigint, shift: number, mode: RoundingMode, out: Shape): bigint {
  return saturate(roundShift(acc * multiplier + offset, shift, mode), out);
}

export function doubleQuantRequantizeBig(n: bigint, scale: bigint, shift: number, mode: RoundingMode, out: Shape): bigint {
  return saturate(roundShift(n * scale, shift, mode), out);
}

export function preluBig(x: bigint, slope: bigint, slopeShift: number, mode: RoundingMode): bigint {
  return x >= 0n ? x : roundShift(x * slope, slopeShift, mode);
}

export function residualAddBig(x1: bigint, a1: bigint, x2: bigint, a2: bigint, shift: number, mode: RoundingMode, out: Shape): bigint {
  return saturate(roundShift(x1 * a1 + x2 * a2, shift, mode), out);
}

export function averageOfBig(sum: bigint, count: bigint, mode: RoundingMode): bigint {
  return roundDivide(sum, count, mode);
}

const I32_MIN = -(1n << 31n);
const I32_MAX = (1n << 31n) - 1n;

/** gemmlowp's SaturatingRoundingDoublingHighMul, transcribed on BigInt (BigInt / truncates toward zero like C++). */
export function saturatingRoundingDoublingHighMulBig(a: bigint, b: bigint): bigint {
  if (a === I32_MIN && b === I32_MIN) return I32_MAX;
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return (ab + nudge) / (1n << 31n);
}

/** gemmlowp's RoundingDivideByPOT, transcribed bit for bit (mask, threshold). */
export function roundingDivideByPOTBig(x: bigint, exponent: number): bigint {
  const e = BigInt(exponent);
  const mask = (1n << e) - 1n;
  const remainder = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> e) + (remainder > threshold ? 1n : 0n);
}

export function tfliteRequantizeBig(acc: bigint, multiplier32: bigint, shift: number, out: Shape): bigint {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return saturate(roundingDivideByPOTBig(saturatingRoundingDoublingHighMulBig(acc << BigInt(left), multiplier32), right), out);
}
