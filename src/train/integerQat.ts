/**
 * pikelpn's integer requantizer inside the QAT forward pass: the training
 * model's output of every weighted layer is the integer network's, not a
 * float batch norm followed by rounding onto the activation grid.
 *
 * The compiler (src/quant/compileWeighted.ts) folds batch norm and every scale
 * into y_c = a_c * acc + b_c (output LSBs), then fits QuantNorm's 8-bit
 * per-channel multipliers and offsets with one shared shift and Double
 * Quantization's 8-bit scale, and the integer network computes
 * clamp(roundShift((acc*M_c + B_c)*Q, S, rnu)). Here the same numbers come
 * from the same functions (quantNormStages / scaleStage, resolvePrecision,
 * tensorSpecs, accumulatorShape) and the same integer steps (roundShiftNumber,
 * averageOf, quantizeInput), so with frozen batch-norm statistics the
 * forward pass IS runInt of the compiled network (test/train/integerQat.test.ts
 * checks logits equal on every digit it tries). Training uses it in the
 * frozen-batch-norm epochs (train.ts); with batch statistics the batch's mean
 * and variance would take the running ones' place.
 *
 * The accumulator is recovered from the float convolution of fake-quantized
 * values: z = sum (q_w s_w)(q_x s_x) = acc * s_w * s_x up to float rounding
 * far below half an LSB (|acc| < 2^21 here, relative error ~1e-13), so
 * Math.round(z / (s_w s_x)) is acc exactly. Gradients are straight-through:
 * backward still sees the float batch norm and the (0, clip) mask.
 */
import { accumulatorShape, clampNumber, rangeOf, roundShiftNumber, type RoundingMode } from '../arith/index.ts';
import { inferShapes, tensorShape, weightRange, type FloatNetwork, type TensorSpec } from '../model/index.ts';
import { activationOutput, quantNormStages, resolvePrecision, scaleStage, tensorSpecs, type Recipe } from '../quant/index.ts';
import { averageOf, quantizeInput } from '../ref/index.ts';

export interface IntLayerPlan {
  /** Scale of the layer's input tensor (s_x) and output tensor (s_y). */
  readonly inScale: number;
  readonly outScale: number;
  /** The output's saturation bounds (integer codes), as compileWeighted sets them. */
  readonly outMin: number;
  readonly outMax: number;
  /** Largest |accumulator| (QuantNorm's shift search weighs errors by it). */
  readonly accMaxAbs: number;
}

export interface IntegerPlan {
  readonly recipe: Recipe;
  readonly input: TensorSpec;
  /** Weighted layers by name. */
  readonly layers: ReadonlyMap<string, IntLayerPlan>;
  /** Average pools by name: the input tensor's scale (the output keeps it) and bounds. */
  readonly pools: ReadonlyMap<string, { readonly scale: number; readonly outMin: number; readonly outMax: number }>;
  readonly poolRounding: RoundingMode;
}

/**
 * The integer network's constant geometry for `net` under `recipe`: tensor
 * scales from each layer's outputRange (QAT clips, fixed during QAT) exactly
 * as compile derives them. Every layer but pools must have an outputRange.
 */
export function integerPlan(net: FloatNetwork, recipe: Recipe): IntegerPlan {
  if (recipe.requantizer !== 'stages' || !recipe.techniques.quantNorm || !recipe.techniques.doubleQuant) {
    throw new RangeError(`integerPlan: recipe ${recipe.name} is not all-integer QuantNorm + Double Quantization`);
  }
  const shapes = inferShapes(net).layers;
  const precision = resolvePrecision(net, recipe);
  const specs = tensorSpecs(net, precision, new Map());
  const tensors = new Map<string, TensorSpec>([['input', specs.input]]);
  const layers = new Map<string, IntLayerPlan>();
  const pools = new Map<string, { scale: number; outMin: number; outMax: number }>();
  net.layers.forEach((l, i) => {
    const s = shapes[i]!;
    const inT = tensors.get(s.inputs[0]!)!;
    const outT = specs.layers[i]!;
    tensors.set(l.name, outT);
    if (l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense') {
      const acc = rangeOf(accumulatorShape(weightRange(precision.layers[i]!.weightBits), rangeOf(tensorShape(inT)), s.reductionDepth));
      const act = l.activation?.kind ?? 'none';
      if (act !== 'relu' && act !== 'none') throw new RangeError(`integerPlan: layer "${l.name}": activation ${act} is not modelled`);
      const out = activationOutput(outT, act);
      layers.set(l.name, {
        inScale: inT.scale, outScale: outT.scale,
        outMin: out.min, outMax: out.max,
        accMaxAbs: Number(acc.hi > -acc.lo ? acc.hi : -acc.lo),
      });
    } else if (l.op === 'avgPool') {
      const out = activationOutput(inT, 'none');
      pools.set(l.name, { scale: inT.scale, outMin: out.min, outMax: out.max });
    } else {
      throw new RangeError(`integerPlan: layer kind ${l.op} is not modelled`);
    }
  });
  return { recipe, input: specs.input, layers, pools, poolRounding: recipe.rounding };
}

/** Replace the first `len` input values by their quantized values (quantizeInput's grid), in place. */
export function quantizeInputInPlace(plan: IntegerPlan, x: Float64Array, len: number): void {
  const q = quantizeInput(plan.input, x.subarray(0, len));
  for (let i = 0; i < len; i++) x[i] = q[i]! * plan.input.scale;
}

/**
 * One weighted layer's integer requantizer on its float pre-activations.
 *   z: the float convolution of fake-quantized inputs and weights (without bias), len values, channel = index % C
 *   g, off: the folded per-channel map y = g*z' + off in real units (batch norm; g = 1, off = bias without)
 *   sw: the per-channel weight scales (length C, or 1 for a per-tensor scale)
 * Writes the dequantized integer outputs to `out`.
 */
export function integerRequant(
  plan: IntegerPlan, name: string, batchNorm: boolean, z: Float64Array, g: ArrayLike<number>, off: ArrayLike<number>, sw: ArrayLike<number>, C: number, len: number, out: Float64Array,
): void {
  const lp = plan.layers.get(name);
  if (lp === undefined) throw new RangeError(`integerRequant: layer "${name}" is not in the plan`);
  const swc = (c: number): number => (sw.length === 1 ? sw[0]! : sw[c]!);
  // compileWeighted's fold, in its own operation order (the float values feed integer fits: bit for bit).
  const a = Array.from({ length: C }, (_, c) => (g[c]! * swc(c) * lp.inScale) / lp.outScale);
  const b = Array.from({ length: C }, (_, c) => off[c]! / lp.outScale);
  const flip = a.map((ac) => ac < 0);
  const af = a.map((ac) => (ac < 0 ? -ac : ac));
  const recipe = plan.recipe;
  let shift: number;
  let mul: number[];
  let add: number[];
  let post: number[];
  if (batchNorm) {
    const st = quantNormStages(af, b, lp.accMaxAbs, recipe);
    shift = st.shift;
    mul = st.norm.multipliers;
    add = st.norm.offsets;
    post = st.scale.multipliers;
  } else {
    const st = scaleStage(af, b, recipe);
    shift = st.shift;
    mul = st.scale.multipliers;
    add = st.scale.offsets;
    post = [1];
  }
  if (shift < 0) throw new RangeError(`integerRequant: layer "${name}" needs a left shift (${shift})`);
  const unit = Array.from({ length: C }, (_, c) => swc(c) * lp.inScale);
  const q = post.length === 1 ? post[0]! : NaN;
  for (let i = 0; i < len; i++) {
    const c = i % C;
    let acc = Math.round(z[i]! / unit[c]!);
    if (flip[c]) acc = -acc;
    const x = (acc * mul[c]! + add[c]!) * q;
    // Every rounding of x <= 0 is <= 0, so below a lower bound of 0 the clamp decides alone (about half
    // the outputs after ReLU; it skips the per-element call, the costliest part of this loop).
    out[i] = x <= 0 && lp.outMin === 0 ? 0 : clampNumber(roundShiftNumber(x, shift, recipe.rounding), lp.outMin, lp.outMax) * lp.outScale;
  }
}

/** Global average pool of dequantized integer inputs as the integer network does it: exact sum, rounded division, clamp. */
export function integerGlobalPool(plan: IntegerPlan, name: string, x: Float64Array, y: Float64Array, hw: number, c: number, batch: number): void {
  const pp = plan.pools.get(name);
  if (pp === undefined) throw new RangeError(`integerGlobalPool: pool "${name}" is not in the plan`);
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let p = 0; p < hw; p++) s += Math.round(x[(b * hw + p) * c + ch]! / pp.scale);
      y[b * c + ch] = clampNumber(averageOf(s, hw, plan.poolRounding), pp.outMin, pp.outMax) * pp.scale;
    }
  }
}
