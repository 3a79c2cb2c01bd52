/**
 * The elementwise path of a compiled conv/dense layer, per output element of
 * channel c (docs/semantics.md, "Layer pipelines"):
 *
 *   kind 'stages':
 *     x = acc
 *     integer norm:   x = x * M[c] + B[c]                 (QuantNorm; exact)
 *     integer scale:  x = x * Q[c] + O[c]                 (Double Quantization; exact)
 *     if every stage is integer:
 *       x = roundShift(x, E, rounding)
 *       integer PReLU: x = x < 0 ? roundShift(x * P[c], Sp, rounding) : x
 *     else (fp32 from here, each operation rounded to fp32 with round-half-even):
 *       v = fp32(x) * 2^-E
 *       float norm:   v = v * G[c] + H[c]
 *       float scale:  v = v * R[c] (+ O[c])
 *       float PReLU:  v = v < 0 ? v * A[c] : v
 *       x = roundFloat(v, 'rne')
 *     q = clamp(x, out.min, out.max)
 *   kind 'tflite':
 *     x = MultiplyByQuantizedMultiplier(acc + bias[c], M[c], shift[c]); integer PReLU; clamp.
 *
 * requantRanges() derives every intermediate's range from the accumulator's
 * (src/arith range rules); the number path is used only when all are below
 * 2^53, else the BigInt path (the same steps on bigint).
 */
import {
  type Range, type RoundingMode, addRanges, mulRanges, range, roundFloat, roundShift, roundShiftNumber, clampNumber, bitLength,
} from '../arith/index.ts';
import type { OutputSpec, Requant, PreluStage, StagesRequant } from '../model/index.ts';
import { multiplyByQuantizedMultiplier } from './tflite.ts';
import { tfliteRequantizeBig } from './elementwiseBig.ts';
import { isSafeRange } from './safeInteger.ts';
import { signed } from '../arith/index.ts';

const f32 = Math.fround;

/** Per-channel value: arrays of length 1 broadcast. */
const pick = (a: readonly number[], c: number): number => (a.length === 1 ? a[0]! : a[c]!);

/** True when some stage stays in fp32. */
export function hasFloatStage(r: Requant): boolean {
  return r.kind === 'stages' && (r.norm?.arithmetic === 'float' || r.scale?.arithmetic === 'float' || r.prelu?.arithmetic === 'float');
}

/** Round an integer to fp32 once (round-half-even), as an int -> float conversion unit does. */
export function bigIntToFp32(x: bigint): number {
  const mag = x < 0n ? -x : x;
  const extra = bitLength(mag) - 24;
  if (extra <= 0) return Number(x);
  return f32(Number(roundShift(x, extra, 'rne')) * 2 ** extra);
}

function floatTail(v: number, r: Requant & { kind: 'stages' }, c: number): number {
  if (r.norm?.arithmetic === 'float') v = f32(f32(v * pick(r.norm.multipliers, c)) + pick(r.norm.offsets, c));
  if (r.scale?.arithmetic === 'float') {
    v = f32(v * pick(r.scale.multipliers, c));
    if (r.scale.offsets !== undefined) v = f32(v + pick(r.scale.offsets, c));
  }
  if (r.prelu?.arithmetic === 'float' && v < 0) v = f32(v * pick(r.prelu.slopes, c));
  return roundFloat(v, 'rne');
}

function intPreluNumber(x: number, p: PreluStage | undefined, c: number, mode: RoundingMode): number {
  if (p === undefined || p.arithmetic !== 'integer' || x >= 0) return x;
  return roundShiftNumber(x * pick(p.slopes, c), p.shift, mode);
}

function intPreluBig(x: bigint, p: PreluStage | undefined, c: number, mode: RoundingMode): bigint {
  if (p === undefined || p.arithmetic !== 'integer' || x >= 0n) return x;
  return roundShift(x * BigInt(pick(p.slopes, c)), p.shift, mode);
}

/**
 * Channel c's integer stages with absent (or fp32) ones as identities:
 * multiplier 1, offset 0, PReLU slope 1 with shift 0. The accelerator's
 * datapath runs every stage this way (src/accel/requantLane.ts).
 */
export interface IntegerStageParams {
  readonly normMul: bigint;
  readonly normOff: bigint;
  readonly scaleMul: bigint;
  readonly scaleOff: bigint;
  readonly slope: bigint;
  readonly slopeShift: number;
}

function integerStageParams(r: StagesRequant, c: number): IntegerStageParams {
  const norm = r.norm?.arithmetic === 'integer' ? r.norm : undefined;
  const scale = r.scale?.arithmetic === 'integer' ? r.scale : undefined;
  const prelu = r.prelu?.arithmetic === 'integer' ? r.prelu : undefined;
  return {
    normMul: norm ? BigInt(pick(norm.multipliers, c)) : 1n,
    normOff: norm ? BigInt(pick(norm.offsets, c)) : 0n,
    scaleMul: scale ? BigInt(pick(scale.multipliers, c)) : 1n,
    scaleOff: scale?.offsets ? BigInt(pick(scale.offsets, c)) : 0n,
    slope: prelu ? BigInt(pick(prelu.slopes, c)) : 1n,
    slopeShift: prelu ? prelu.shift : 0,
  };
}

/** The all-integer path before the clamp: roundShift((acc*M + B)*Q + O, E), then PReLU on negatives. */
export function integerStagesBig(acc: bigint, p: IntegerStageParams, shift: number, rounding: RoundingMode): bigint {
  const x = roundShift((acc * p.normMul + p.normOff) * p.scaleMul + p.scaleOff, shift, rounding);
  return x < 0n ? roundShift(x * p.slope, p.slopeShift, rounding) : x;
}

/** One element on numbers. The caller has checked requantRanges(...).safe. */
export function requantElement(acc: number, c: number, r: Requant, out: OutputSpec): number {
  let x: number;
  if (r.kind === 'tflite') {
    x = intPreluNumber(multiplyByQuantizedMultiplier(acc + pick(r.bias, c), pick(r.multipliers, c), pick(r.shifts, c)), r.prelu, c, 'rna');
  } else {
    x = acc;
    if (r.norm?.arithmetic === 'integer') x = x * pick(r.norm.multipliers, c) + pick(r.norm.offsets, c);
    if (r.scale?.arithmetic === 'integer') x = x * pick(r.scale.multipliers, c) + (r.scale.offsets ? pick(r.scale.offsets, c) : 0);
    if (hasFloatStage(r)) x = floatTail(f32(f32(x) * 2 ** -r.shift), r, c);
    else x = intPreluNumber(roundShiftNumber(x, r.shift, r.rounding), r.prelu, c, r.rounding);
  }
  return clampNumber(x, out.min, out.max);
}

/** One element on BigInt: the same steps, any width. */
export function requantElementBig(acc: bigint, c: number, r: Requant, out: OutputSpec): bigint {
  let x: bigint;
  if (r.kind === 'tflite') {
    const b = BigInt(pick(r.bias, c));
    // tfliteRequantizeBig saturates to a shape; use a shape wide enough to never clamp, then the real bounds.
    x = tfliteRequantizeBig(acc + b, BigInt(pick(r.multipliers, c)), pick(r.shifts, c), signed(64));
    x = intPreluBig(x, r.prelu, c, 'rna');
  } else {
    const ints = integerStageParams(r, c);
    if (hasFloatStage(r)) x = BigInt(floatTail(f32(bigIntToFp32((acc * ints.normMul + ints.normOff) * ints.scaleMul + ints.scaleOff) * 2 ** -r.shift), r, c));
    else x = integerStagesBig(acc, ints, r.shift, r.rounding);
  }
  const lo = BigInt(out.min);
  const hi = BigInt(out.max);
  return x < lo ? lo : x > hi ? hi : x;
}

const spanOf = (a: readonly number[]): Range => {
  let lo = a[0]!;
  let hi = a[0]!;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return range(BigInt(lo), BigInt(hi));
};

export interface RequantRanges {
  /** Every integer intermediate, named, with its range. */
  readonly steps: readonly { readonly what: string; readonly range: Range }[];
  /** All within +-(2^53 - 1): the number path is exact. */
  readonly safe: boolean;
}

/** Ranges of every integer intermediate for accumulators in `acc` (the proof behind the number path). */
export function requantRanges(r: Requant, acc: Range): RequantRanges {
  const steps: { what: string; range: Range }[] = [{ what: 'accumulator', range: acc }];
  let x = acc;
  const push = (what: string, v: Range): void => {
    steps.push({ what, range: v });
    x = v;
  };
  if (r.kind === 'tflite') {
    push('accumulator + bias', addRanges(x, spanOf(r.bias)));
    // MultiplyByQuantizedMultiplier's own intermediates are checked per call (int32 operands, split 64-bit product).
    push('requantized (|x| < 2^31)', range(-(1n << 31n), (1n << 31n) - 1n));
  } else {
    if (r.norm?.arithmetic === 'integer') {
      push('norm product acc*M', mulRanges(x, spanOf(r.norm.multipliers)));
      push('norm sum acc*M + B', addRanges(x, spanOf(r.norm.offsets)));
    }
    if (r.scale?.arithmetic === 'integer') {
      push('scale product x*Q', mulRanges(x, spanOf(r.scale.multipliers)));
      if (r.scale.offsets) push('scale sum x*Q + O', addRanges(x, spanOf(r.scale.offsets)));
    }
    if (!hasFloatStage(r)) {
      // roundShift never leaves [floor(lo/2^E), ceil(hi/2^E)] (+1 for rod), which the unshifted range bounds.
      if (r.prelu?.arithmetic === 'integer') push('prelu product x*P', mulRanges(x, spanOf(r.prelu.slopes)));
    }
  }
  return { steps, safe: steps.every((s) => isSafeRange(s.range)) };
}
