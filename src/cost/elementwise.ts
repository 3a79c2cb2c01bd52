/**
 * The elementwise operations one output element costs, per recipe: the
 * counting rules behind ACEv2's non-MAC part (docs/acev2.md, "What each
 * recipe computes").
 *
 * Conv and dense layers follow src/quant's elementwisePlan (the same plan the
 * compiler builds): this file only says what each planned stage costs and at
 * which widths. Widths are derived with src/arith's rules (accumulatorShape,
 * BINARY_RULES, roundShiftShape), never re-derived here. Residual adds and
 * average pools are not in the plan; their rules are this file's own.
 *
 * Assumptions a network file cannot settle (documented, and chosen so as not
 * to flatter the integer recipes):
 * - An integer offset (B_c, a bias) has the shape of the value it is added to.
 * - The per-layer shift S of an integer rescale defaults to the total width
 *   of the multipliers before it (M_c and Q are fractions: rescaling never
 *   grows a value); callers that know S (a generated unit) pass it.
 * - A PReLU slope is a signed fraction: its shift defaults to slopeBits - 1;
 *   a residual add's rounding shift defaults to scaleBits (callers that know
 *   them pass `preluShift` / `shift`).
 * - TFLite's output zero point is added (its int8 activations are
 *   asymmetric) unless the caller says the output zero point is 0.
 * - Integer <-> float conversions are not costed (this favours the float
 *   stages); a float round-to-nearest is one float add (the x + 1.5*2^23 trick).
 * - A sign test reads one bit and a select is a mux: ReLU is free, as are the
 *   branches of PReLU; only its multiply (and rounding) is costed.
 */
import {
  type Range,
  type Shape,
  type RoundingMode,
  BINARY_RULES,
  MAX_WIDTH,
  maxOf,
  minOf,
  range,
  shapeOfRange,
  shrConstShape,
  unify,
  poolDivision,
  poolSumShape,
  roundShiftShape,
  shape,
  signed,
  unsigned,
} from '../arith/index.ts';
import { elementwisePlan, type Recipe } from '../quant/index.ts';
import type { Category } from './categories.ts';
import { FLOAT_FORMAT_BITS, type FloatFormat, type Op } from './ops.ts';

export type ActivationKind = 'none' | 'relu' | 'relu6' | 'prelu';

/** One operation performed `perElement` times for every output element. */
export interface ElementOp {
  readonly category: Category;
  readonly op: Op;
  readonly perElement: number;
}

const floatFormat = (recipe: Recipe): FloatFormat => {
  if (recipe.floatBits !== 32) throw new RangeError(`recipe ${recipe.name}: floatBits ${String(recipe.floatBits)} is unsupported: only 32 (fp32) is costed`);
  return 'fp32';
};

const mul = (a: Shape, b: Shape): Shape => BINARY_RULES.mul.shape(a, b);
const add = (a: Shape, b: Shape): Shape => BINARY_RULES.add.shape(a, b);

/** Collects ops and tracks the shape of the value flowing through. */
class Pipeline {
  readonly ops: ElementOp[] = [];
  constructor(readonly fp: FloatFormat) {}
  push(category: Category, op: Op, perElement = 1): void {
    this.ops.push({ category, op, perElement });
  }
  fmul(category: Category): void {
    this.push(category, { kind: 'floatMul', format: this.fp });
  }
  fadd(category: Category): void {
    this.push(category, { kind: 'floatAdd', format: this.fp });
  }
  imul(category: Category, a: Shape, b: Shape): Shape {
    this.push(category, { kind: 'intMul', a: a.width, b: b.width });
    return mul(a, b);
  }
  iadd(category: Category, a: Shape, b: Shape): Shape {
    this.push(category, { kind: 'intAdd', a: a.width, b: b.width });
    return add(a, b);
  }
  /**
   * Rounding right shift by a constant, as the hardware computes it
   * (docs/acev2.md, "Rounding shifts"): the shift itself (wiring, listed so
   * inventories can match it); the rounding increment added to the floor
   * floor(v / 2^k), at the floor's width (v.width - k bits, not v.width),
   * and absent when the floor is the constant 0 (unsigned v shifted past its
   * width); and the sticky test "any dropped bit set" that rne, rod and rna
   * (signed) read, a compare with zero over the bits it tests.
   */
  roundShift(category: Category, v: Shape, k: number, mode: RoundingMode): Shape {
    if (k === 0) return v;
    const floor = shrConstShape(v, k);
    const floorIsZero = !v.signed && k >= v.width;
    if (mode !== 'rdn' && mode !== 'rod' && !floorIsZero) this.push(category, { kind: 'intAdd', a: floor.width, b: 1 });
    const sticky = mode === 'rod' ? k : mode === 'rne' || (mode === 'rna' && v.signed) ? k - 1 : 0;
    if (sticky >= 1) {
      this.push(category, { kind: 'compare', width: Math.min(sticky, MAX_WIDTH) });
      // Past src/arith's width cap the bits beyond are copies of the sign: one more test.
      if (sticky > MAX_WIDTH && v.signed) this.push(category, { kind: 'compare', width: v.width });
    }
    this.push(category, { kind: 'shiftConst', width: v.width });
    return roundShiftShape(v, k, mode);
  }
  /**
   * Clamp of a `v`-shaped value to the output: one compare per bound, and
   * none for a bound v's range can never pass when the output range is
   * known (the hardware leaves such compares out); unknown: both.
   */
  saturate(v: Shape | number, out?: Range): void {
    const width = typeof v === 'number' ? v : v.width;
    if (out === undefined || typeof v === 'number') {
      this.push('scaling', { kind: 'compare', width }, 2);
      return;
    }
    // Each kept compare works at the width that holds both v and its bound (src/arith's unify).
    const at = (bound: bigint): number => unify(v, shapeOfRange(range(bound, bound))).width;
    if (maxOf(v) > out.hi) this.push('scaling', { kind: 'compare', width: at(out.hi) });
    if (minOf(v) < out.lo) this.push('scaling', { kind: 'compare', width: at(out.lo) });
  }
}

function checkShift(shift: number | undefined, field: string): void {
  if (shift !== undefined && (!Number.isSafeInteger(shift) || shift < 0)) {
    throw new RangeError(`${field} ${String(shift)} is invalid: expected a non-negative integer`);
  }
}

/** QuantNorm, exact: v * M_c + B_c (B_c has the product's shape). */
function quantNormStage(p: Pipeline, v: Shape, multiplierBits: number): Shape {
  const prod = p.imul('norm', v, unsigned(multiplierBits));
  return p.iadd('norm', prod, prod);
}

/** Integer PReLU on a signed value: the slope multiply and its rounding shift
 *  by `shift`; the result is the wider of the negative and positive branches. */
function integerPreluStage(p: Pipeline, v: Shape, slopeBits: number, shift: number, rounding: RoundingMode): Shape {
  const prod = p.imul('activation', v, signed(slopeBits));
  const scaled = p.roundShift('activation', prod, shift, rounding);
  return shape(Math.max(v.width, scaled.width), true);
}

/** What a requantizer (the stages after one conv/dense accumulator) works on. */
export interface RequantizerWorkload {
  /**
   * The range the result is clamped to, when known (a generated unit knows
   * its output shape); compares a value can never trip are then not
   * counted. Unknown: both bounds are counted.
   */
  readonly out?: Range;
  /** The accumulator's shape (ignored by float-MAC recipes). */
  readonly acc: Shape;
  readonly batchNorm: boolean;
  readonly activation: ActivationKind;
  /** Shift of the integer rescale, when known (see the file comment). */
  readonly shift?: number;
  /** Shift of an integer PReLU; default slopeBits - 1 (a signed-fraction slope). */
  readonly preluShift?: number;
  /**
   * Fold QuantNorm into the Double Quantization scale (M' = M_c * Q_c and
   * B' = B_c * Q_c offline): one acc x (m+q) multiply and one add instead of
   * two multiplies and an add. Needs batch norm with both stages integer.
   */
  readonly fused?: boolean;
  /**
   * TFLite only: the output zero point. Undefined: TFLite's asymmetric int8
   * activations, a non-zero zero point, so its add is counted; 0: symmetric
   * output (as this project's reference), no add. Its value does not change
   * the cost (an 8-bit constant).
   */
  readonly outputZeroPoint?: number;
}

/**
 * Elementwise operations per output element of a conv or dense layer: batch
 * norm or QuantNorm, quantization scaling, activation, final rounding and
 * saturation, as `elementwisePlan` lays them out for `recipe`.
 */
export function requantizerOps(w: RequantizerWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
  const prelu = w.activation === 'prelu';
  const plan = elementwisePlan(recipe, { batchNorm: w.batchNorm, prelu });
  checkShift(w.shift, 'requantizer: shift');
  checkShift(w.preluShift, 'requantizer: preluShift');
  if (w.outputZeroPoint !== undefined && (!Number.isSafeInteger(w.outputZeroPoint) || recipe.requantizer !== 'tflite')) {
    throw new RangeError(`requantizer: outputZeroPoint ${String(w.outputZeroPoint)} is invalid: only an integer, and only for a TFLite requantizer (recipe ${recipe.name} has no zero point)`);
  }
  const norm = plan.stages.find((s) => s.stage === 'norm');
  const scale = plan.stages.find((s) => s.stage === 'scale');
  if (w.fused === true && (norm?.arithmetic !== 'integer' || scale?.arithmetic !== 'integer')) {
    throw new RangeError(`requantizer: fused is invalid for recipe ${recipe.name}${w.batchNorm ? '' : ' without batch norm'}: folding needs an integer QuantNorm and an integer Double Quantization scale`);
  }

  if (recipe.mac === 'float') {
    // Nothing is quantized: no rescale, rounding or saturation. A bias is a
    // float add when there is no batch norm to carry it.
    if (!w.batchNorm) p.fadd('norm');
    for (const s of plan.stages) {
      if (s.stage === 'norm') {
        p.fmul('norm');
        p.fadd('norm');
      } else if (s.stage === 'prelu') {
        p.fmul('activation');
      }
    }
    if (w.activation === 'relu6') p.push('activation', { kind: 'compare', width: 32 });
    return p.ops;
  }

  let v = w.acc; // the integer value's shape while the pipeline is integer
  let isFloat = false;
  let shiftPending = 0; // bits of fraction the integer multipliers have added
  const rounding = recipe.rounding;
  for (const s of plan.stages) {
    if (s.arithmetic === 'float') {
      isFloat = true;
      if (s.stage === 'norm') {
        p.fmul('norm');
        p.fadd('norm');
      } else if (s.stage === 'scale') {
        p.fmul('scaling');
        if (!w.batchNorm) p.fadd('norm'); // the bias rides on the scale stage
      } else if (s.stage === 'prelu') {
        p.fmul('activation');
      }
      continue;
    }
    switch (s.stage) {
      case 'norm': {
        if (w.fused === true) {
          // acc * (M_c * Q_c) + B_c * Q_c: the scale stage below only rounds.
          const m = unsigned(s.bits);
          const q = unsigned(scale!.bits);
          const prod = p.imul('norm', v, mul(m, q));
          v = p.iadd('norm', prod, mul(mul(v, m), q));
        } else {
          v = quantNormStage(p, v, s.bits);
        }
        shiftPending += s.bits;
        break;
      }
      case 'scale': {
        if (!w.batchNorm) v = p.iadd('norm', v, v); // + bias
        if (w.fused !== true) v = p.imul('scaling', v, unsigned(s.bits));
        shiftPending += s.bits;
        if (plan.finalRounding !== 'float-rne') {
          v = p.roundShift('scaling', v, w.shift ?? shiftPending, rounding);
          shiftPending = 0;
        }
        break;
      }
      case 'tflite': {
        // acc + bias_c; SaturatingRoundingDoublingHighMul (32x32 product, a
        // nudge add, take the high word); RoundingDivideByPOT by a per-channel
        // exponent (variable shift, remainder compare, increment); + output
        // zero point (absent when it is 0).
        p.push('norm', { kind: 'intAdd', a: v.width, b: 32 });
        p.push('scaling', { kind: 'intMul', a: 32, b: 32 });
        p.push('scaling', { kind: 'intAdd', a: 64, b: 1 });
        p.push('scaling', { kind: 'shiftConst', width: 64 });
        p.push('scaling', { kind: 'shiftVar', width: 32, amountBits: 5 });
        p.push('scaling', { kind: 'compare', width: 32 });
        p.push('scaling', { kind: 'intAdd', a: 32, b: 1 });
        if (w.outputZeroPoint !== 0) p.push('scaling', { kind: 'intAdd', a: 32, b: 8 });
        v = signed(32);
        break;
      }
      case 'prelu':
        v = integerPreluStage(p, v, s.bits, w.preluShift ?? s.bits - 1, rounding);
        break;
    }
  }
  if (isFloat) {
    p.fadd('scaling'); // round to nearest even
    p.saturate(32);
  } else {
    p.saturate(v, w.out);
  }
  return p.ops;
}

/** Double Quantization's rescale alone, on a value of shape `input` (e.g. QuantNorm's output). */
export interface RescaleWorkload {
  /**
   * The range the result is clamped to, when known (a generated unit knows
   * its output shape); compares a value can never trip are then not
   * counted. Unknown: both bounds are counted.
   */
  readonly out?: Range;
  readonly input: Shape;
  /** Add a bias of the input's shape first (a layer without batch norm). */
  readonly bias: boolean;
  readonly shift: number;
}

/**
 * Per element of the integer rescale stage by itself (a requantizer unit fed
 * by a separate QuantNorm unit): the bias add when asked, the multiply by the
 * scaleBits-bit Q_c, the rounding shift and the clamp. The same stage
 * requantizerOps counts after QuantNorm.
 */
export function rescaleOps(w: RescaleWorkload, recipe: Recipe): ElementOp[] {
  checkShift(w.shift, 'rescale: shift');
  if (recipe.mac === 'float' || !recipe.techniques.doubleQuant || recipe.requantizer === 'tflite') {
    throw new RangeError(`rescale: recipe ${recipe.name} has no integer Double Quantization scale`);
  }
  const p = new Pipeline(floatFormat(recipe));
  let v = w.input;
  if (w.bias) v = p.iadd('norm', v, v);
  v = p.imul('scaling', v, unsigned(recipe.doubleQuant.scaleBits));
  v = p.roundShift('scaling', v, w.shift, recipe.rounding);
  p.saturate(v, w.out);
  return p.ops;
}

/** An activation on its own, on a signed value of shape `input`. */
export interface ActivationWorkload {
  /**
   * The range the result is clamped to, when known (a generated unit knows
   * its output shape); compares a value can never trip are then not
   * counted. Unknown: both bounds are counted.
   */
  readonly out?: Range;
  readonly input: Shape;
  readonly activation: ActivationKind;
  /** Shift of an integer PReLU; default slopeBits - 1. */
  readonly preluShift?: number;
}

/**
 * Per element of an activation unit that ends in the clamp to the output:
 * ReLU, ReLU6 and none are that clamp alone (its two compares: the
 * activations themselves are free, docs/acev2.md); PReLU first multiplies the
 * negative branch by the slope and rounds (integer PReLU recipes only).
 */
export function activationOps(w: ActivationWorkload, recipe: Recipe): ElementOp[] {
  checkShift(w.preluShift, 'activation: preluShift');
  if (recipe.mac === 'float') throw new RangeError(`activation: recipe ${recipe.name} has no integer activation unit`);
  const p = new Pipeline(floatFormat(recipe));
  let v = w.input;
  if (w.activation === 'prelu') {
    if (!recipe.techniques.quantizedPrelu) throw new RangeError(`activation: recipe ${recipe.name} keeps PReLU in float`);
    const slopeBits = recipe.prelu.slopeBits;
    v = integerPreluStage(p, v, slopeBits, w.preluShift ?? slopeBits - 1, recipe.rounding);
  }
  p.saturate(v, w.out);
  return p.ops;
}

/** A residual add of two quantized tensors into a third scale. */
export interface ResidualWorkload {
  /**
   * The range the result is clamped to, when known (a generated unit knows
   * its output shape); compares a value can never trip are then not
   * counted. Unknown: both bounds are counted.
   */
  readonly out?: Range;
  readonly a: Shape;
  readonly b: Shape;
  readonly activation: ActivationKind;
  /** Rounding shift of the sum; default scaleBits (see the file comment). */
  readonly shift?: number;
  /** Shift of an integer PReLU; default slopeBits - 1. */
  readonly preluShift?: number;
}

/**
 * Per output element of a residual add. Float MACs: one float add. Integer
 * recipes: each input is rescaled to a common scale, added, and requantized
 * (src/ref residualAdd: saturate(roundShift(x1*A1 + x2*A2, S))):
 * with Double Quantization (or TFLite's fixed point) each rescale is an
 * integer multiply by a `scaleBits` integer, the sum is rounded by one shift
 * (of scaleBits unless `shift` says) and saturated; without, two float multiplies, a float add, a
 * float round and a saturation.
 */
export function residualOps(w: ResidualWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
  checkShift(w.shift, 'residual: shift');
  checkShift(w.preluShift, 'residual: preluShift');
  if (recipe.mac === 'float') {
    p.fadd('residual');
    if (w.activation === 'prelu') p.fmul('activation');
    if (w.activation === 'relu6') p.push('activation', { kind: 'compare', width: 32 });
    return p.ops;
  }
  const integer = recipe.techniques.doubleQuant || recipe.requantizer === 'tflite';
  if (!integer) {
    p.fmul('scaling');
    p.fmul('scaling');
    p.fadd('residual');
    if (w.activation === 'prelu') p.fmul('activation');
    p.fadd('scaling');
    p.saturate(32);
    return p.ops;
  }
  const q = unsigned(recipe.doubleQuant.scaleBits);
  const pa = p.imul('scaling', w.a, q);
  const pb = p.imul('scaling', w.b, q);
  let v = p.iadd('residual', pa, pb);
  v = p.roundShift('scaling', v, w.shift ?? q.width, recipe.rounding);
  if (w.activation === 'prelu') {
    if (recipe.techniques.quantizedPrelu) {
      const slopeBits = recipe.prelu.slopeBits;
      v = integerPreluStage(p, v, slopeBits, w.preluShift ?? slopeBits - 1, recipe.rounding);
    } else {
      p.fmul('activation');
      p.fadd('scaling');
      p.saturate(32);
      return p.ops;
    }
  }
  p.saturate(v, w.out);
  return p.ops;
}

/** An average pool over `window` inputs of shape `input`. */
export interface PoolWorkload {
  readonly input: Shape;
  readonly window: number;
}

/**
 * Per output element of an average pool. Float MACs: window - 1 float adds
 * and a float multiply by 1/window. Integer recipes (all of them: the
 * reference's averageOf keeps the input's scale, so no float scaling is
 * involved): window - 1 adds into the exact sum, then the rounding division
 * by the window an exact implementation does (src/arith poolDivision, which
 * the average-pooling unit builds): a power-of-two window is a rounding
 * shift; any other is a multiply by the least exact reciprocal m (Granlund
 * and Montgomery 1994; m has the sum's width + 1 bits, sometimes more), the
 * add of its offset constant (absent only for rdn and rod on non-negative
 * sums: with negative sums those modes need it too), a shift, and for rne
 * (even N) and rod the bit-0 fix's test of the fraction's top bits for zero
 * (a compare; the hardware has it). Not counted, by the cost table's
 * conventions: the sign select of rna's offset and the bit-0 gate itself.
 * The average stays within the input's range, so nothing saturates.
 */
export function poolOps(w: PoolWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
  if (!Number.isSafeInteger(w.window) || w.window < 1) throw new RangeError(`pool: window ${String(w.window)} is invalid: expected a positive integer`);
  const adds = w.window - 1;
  if (recipe.mac === 'float') {
    if (adds > 0) p.push('pooling', { kind: 'floatAdd', format: p.fp }, adds);
    p.fmul('pooling');
    return p.ops;
  }
  const sum = poolSumShape(w.input, w.window);
  if (adds > 0) p.push('pooling', { kind: 'intAdd', a: sum.width, b: w.input.width }, adds);
  const div = poolDivision(w.input, w.window, recipe.rounding);
  if (div.kind === 'shift') {
    p.roundShift('pooling', sum, div.shift, recipe.rounding);
  } else {
    p.imul('pooling', sum, div.multiplier);
    if (div.offset !== undefined) p.push('pooling', { kind: 'intAdd', a: div.product.width, b: div.offset.width });
    // rne (even N) and rod fix bit 0 by testing the fraction's top flagBits bits for zero: a compare.
    if (div.plan.flag !== 'none') p.push('pooling', { kind: 'compare', width: div.plan.flagBits });
    p.push('pooling', { kind: 'shiftConst', width: div.shifted.width });
  }
  return p.ops;
}

/** A max pool over a `window`-element window of inputs of shape `input`. */
export interface MaxPoolWorkload {
  readonly input: Shape;
  readonly window: number;
}

/**
 * Per output element of a max pool: window - 1 compares at the input's width
 * (a running max; float MACs compare the float format's bit pattern, as the
 * cost table's compare does). Counted for the full k x k window even where
 * padding covers part of it: a fixed-schedule engine compares the padding
 * too (with a value that never wins). Nothing rounds or saturates: the max is
 * one of the inputs, in the input's tensor.
 */
export function maxPoolOps(w: MaxPoolWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
  if (!Number.isSafeInteger(w.window) || w.window < 1) throw new RangeError(`maxPool: window ${String(w.window)} is invalid: expected a positive integer`);
  const compares = w.window - 1;
  const width = recipe.mac === 'float' ? FLOAT_FORMAT_BITS[p.fp] : w.input.width;
  if (compares > 0) p.push('pooling', { kind: 'compare', width }, compares);
  return p.ops;
}
