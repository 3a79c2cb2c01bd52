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
 * - A PReLU slope is a signed fraction: its shift is slopeBits - 1.
 * - Integer <-> float conversions are not costed (this favours the float
 *   stages); a float round-to-nearest is one float add (the x + 1.5*2^23 trick).
 * - A sign test reads one bit and a select is a mux: ReLU is free, as are the
 *   branches of PReLU; only its multiply (and rounding) is costed.
 */
import {
  type Shape,
  type RoundingMode,
  BINARY_RULES,
  roundShiftShape,
  shape,
  signed,
  unsigned,
  accumulatorShape,
  range,
  rangeOf,
} from '../arith/index.ts';
import { elementwisePlan, type Recipe } from '../quant/index.ts';
import type { Category } from './categories.ts';
import type { FloatFormat, Op } from './ops.ts';

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
  /** Rounding right shift by a constant: the rounding add (none for floor)
   *  and the shift itself (wiring, listed so inventories can match it). */
  roundShift(category: Category, v: Shape, k: number, mode: RoundingMode): Shape {
    if (k === 0) return v;
    if (mode !== 'rdn' && mode !== 'rod') this.push(category, { kind: 'intAdd', a: v.width, b: 1 });
    this.push(category, { kind: 'shiftConst', width: v.width });
    return roundShiftShape(v, k, mode);
  }
  /** Clamp to the output shape: one compare per bound. */
  saturate(width: number): void {
    this.push('scaling', { kind: 'compare', width }, 2);
  }
}

/** What a requantizer (the stages after one conv/dense accumulator) works on. */
export interface RequantizerWorkload {
  /** The accumulator's shape (ignored by float-MAC recipes). */
  readonly acc: Shape;
  readonly batchNorm: boolean;
  readonly activation: ActivationKind;
  /** Shift of the integer rescale, when known (see the file comment). */
  readonly shift?: number;
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
        const prod = p.imul('norm', v, unsigned(s.bits));
        v = p.iadd('norm', prod, prod); // + B_c
        shiftPending += s.bits;
        break;
      }
      case 'scale': {
        if (!w.batchNorm) v = p.iadd('norm', v, v); // + bias
        v = p.imul('scaling', v, unsigned(s.bits));
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
        // zero point.
        p.push('norm', { kind: 'intAdd', a: v.width, b: 32 });
        p.push('scaling', { kind: 'intMul', a: 32, b: 32 });
        p.push('scaling', { kind: 'intAdd', a: 64, b: 1 });
        p.push('scaling', { kind: 'shiftConst', width: 64 });
        p.push('scaling', { kind: 'shiftVar', width: 32, amountBits: 5 });
        p.push('scaling', { kind: 'compare', width: 32 });
        p.push('scaling', { kind: 'intAdd', a: 32, b: 1 });
        p.push('scaling', { kind: 'intAdd', a: 32, b: 8 });
        v = signed(32);
        break;
      }
      case 'prelu': {
        const slope = signed(s.bits);
        const prod = p.imul('activation', v, slope);
        const scaled = p.roundShift('activation', prod, s.bits - 1, rounding);
        v = shape(Math.max(v.width, scaled.width), true);
        break;
      }
    }
  }
  if (isFloat) {
    p.fadd('scaling'); // round to nearest even
    p.saturate(32);
  } else {
    p.saturate(v.width);
  }
  return p.ops;
}

/** A residual add of two quantized tensors into a third scale. */
export interface ResidualWorkload {
  readonly a: Shape;
  readonly b: Shape;
  readonly activation: ActivationKind;
}

/**
 * Per output element of a residual add. Float MACs: one float add. Integer
 * recipes: each input is rescaled to a common scale, added, and requantized
 * (src/ref residualAdd: saturate(roundShift(x1*A1 + x2*A2, S))):
 * with Double Quantization (or TFLite's fixed point) each rescale is an
 * integer multiply by a `scaleBits` integer, the sum is rounded by one shift
 * of scaleBits and saturated; without, two float multiplies, a float add, a
 * float round and a saturation.
 */
export function residualOps(w: ResidualWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
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
  v = p.roundShift('scaling', v, q.width, recipe.rounding);
  if (w.activation === 'prelu') {
    if (recipe.techniques.quantizedPrelu) {
      const slopeBits = recipe.prelu.slopeBits;
      const prod = p.imul('activation', v, signed(slopeBits));
      v = shape(Math.max(v.width, p.roundShift('activation', prod, slopeBits - 1, recipe.rounding).width), true);
    } else {
      p.fmul('activation');
      p.fadd('scaling');
      p.saturate(32);
      return p.ops;
    }
  }
  p.saturate(v.width);
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
 * involved): window - 1 adds into the exact sum, then a rounding division by
 * the window. A power-of-two window is a rounding shift; any other is
 * costed as a multiply by an (N+1)-bit reciprocal of the N-bit sum
 * (Granlund and Montgomery 1994: such a magic number divides every N-bit
 * dividend exactly), a rounding add and a shift. The average stays within
 * the input's range, so nothing saturates.
 */
export function poolOps(w: PoolWorkload, recipe: Recipe): ElementOp[] {
  const p = new Pipeline(floatFormat(recipe));
  const adds = w.window - 1;
  if (recipe.mac === 'float') {
    if (adds > 0) p.push('pooling', { kind: 'floatAdd', format: p.fp }, adds);
    p.fmul('pooling');
    return p.ops;
  }
  // The running sum's exact shape: a window-term sum of inputs (a dot product
  // with all-one weights).
  const sum = accumulatorShape(range(1n, 1n), rangeOf(w.input), w.window);
  if (adds > 0) p.push('pooling', { kind: 'intAdd', a: sum.width, b: w.input.width }, adds);
  const log2 = Math.log2(w.window);
  if (Number.isInteger(log2)) {
    p.roundShift('pooling', sum, log2, recipe.rounding);
  } else {
    const prod = p.imul('pooling', sum, unsigned(sum.width + 1));
    p.roundShift('pooling', prod, sum.width + 1, recipe.rounding);
  }
  return p.ops;
}
