/**
 * Compile one conv2d / depthwiseConv2d / dense layer: quantize its weights
 * (the recipe's scheme, or DHQ's per-tensor choice), fold bias and batch norm
 * into the ideal per-channel affine map of the accumulator,
 *
 *   y_c = a_c * acc + b_c   (in output LSBs)
 *   a_c = g_c * s_w,c * s_x / s_y,   b_c = (g_c * (bias_c - mean_c) + beta_c) / s_y,
 *   g_c = gamma_c / sqrt(var_c + eps)  (1 without batch norm),
 *
 * and build the requantizer the recipe asks for (src/quant/elementwisePlan.ts):
 * integer stages from QuantNorm / Double Quantization, fp32 stages otherwise,
 * or TFLite's fixed point. A negative a_c is made positive by negating the
 * channel's weights wherever an unsigned integer multiplier would carry it.
 */
import { foldBatchNorm } from './foldBatchNorm.ts';
import { activationOutput } from './activationOutput.ts';
import { roundFloat, rangeOf, type Range, range } from '../arith/index.ts';
import {
  type FloatLayer, type IntWeightedLayer, type LayerShape, type TensorSpec, type Requant, type PreluStage,
  DEFAULT_BN_EPSILON, ModelError, tensorShape, weightRange,
} from '../model/index.ts';
import { accumulatorShape } from '../arith/index.ts';
import { quantizeMultiplier } from '../ref/index.ts';
import type { Recipe, WeightScheme } from './recipes.ts';
import { quantizeTensor, type TensorLayout } from './quantizer.ts';
import { chooseWeightScheme } from './dhq.ts';
import { quantNormFit } from './quantNorm.ts';
import { doubleQuantize } from './doubleQuant.ts';
import { fitSharedShift } from './sharedShift.ts';
import { abs, dyadic, fromNumber, sub } from './exactRational.ts';

type Weighted = Extract<FloatLayer, { op: 'conv2d' | 'depthwiseConv2d' | 'dense' }>;

export interface WeightedReport {
  readonly layer: IntWeightedLayer;
  /** Ideal affine map per channel (after sign folding: a_c >= 0 where folded). */
  readonly a: number[];
  readonly b: number[];
  /** PReLU slopes (1 for channels without PReLU), for error bounds. */
  readonly slopes: number[];
  /** The scheme the weights were quantized with. */
  readonly scheme: WeightScheme;
  /** Dequantized weights in the float network's layout and sign (for a fake-quantized float network). */
  readonly dequantizedWeights: Float64Array;
  readonly accRange: Range;
}

const f32 = Math.fround;

export function layoutOf(layer: Weighted, outC: number): TensorLayout {
  return { channels: outC, axis: layer.op === 'depthwiseConv2d' ? 'inner' : 'outer' };
}

/** Which DHQ family a layer belongs to: depthwise, pointwise (1x1 conv2d), or other. */
export function layerFamily(layer: Weighted): 'depthwise' | 'pointwise' | 'other' {
  if (layer.op === 'depthwiseConv2d') return 'depthwise';
  if (layer.op === 'conv2d' && layer.kernel === 1) return 'pointwise';
  return 'other';
}

function preluStage(alphas: number[] | undefined, integer: boolean, slopeBits: number): PreluStage | undefined {
  if (alphas === undefined) return undefined;
  if (!integer) return { arithmetic: 'float', slopes: alphas.map(f32) };
  const exact = alphas.map(fromNumber);
  const fit = fitSharedShift(alphas, slopeBits, true, (c, m, s) => abs(sub(exact[c]!, dyadic(m, s))));
  if (fit.shift < 0) throw new RangeError(`PReLU slopes up to ${Math.max(...alphas.map(Math.abs))} need a left shift: not supported`);
  return { arithmetic: 'integer', slopes: fit.ints, shift: fit.shift, slopeBits };
}

export function compileWeighted(
  layer: Weighted,
  index: number,
  shape: LayerShape,
  weightBits: number,
  inT: TensorSpec,
  outT: TensorSpec,
  recipe: Recipe,
): WeightedReport {
  const where = `layers[${index}] ("${layer.name}")`;
  if (layer.weights === undefined) throw new ModelError(where, ['has no weights: compile needs a weighted network (this one is architecture-only)']);
  const C = shape.output.channels;
  const layout = layoutOf(layer, C);
  const t = recipe.techniques;
  const family = layerFamily(layer);
  // Under DHQ a scheme recorded in the file (the one QAT trained with) wins; else DHQ chooses, and
  // has already quantized the tensor with its choice (same bits, symmetric): reuse that.
  const dhqHere = t.dhq && family !== 'other';
  const recorded: WeightScheme | undefined = dhqHere && layer.dhqScheme !== undefined ? { ...layer.dhqScheme, powerOfTwoScale: false } : undefined;
  const choice = dhqHere && recorded === undefined ? chooseWeightScheme(layer.weights, layout, weightBits) : undefined;
  const scheme: WeightScheme = recorded ?? choice?.scheme ?? recipe.weightScheme;
  const q = choice?.quantized ?? quantizeTensor(layer.weights, layout, { bits: weightBits, symmetric: true, ...scheme });
  const sw = (c: number): number => q.scales[q.scales.length === 1 ? 0 : c]!;

  // Fold bias and batch norm into y_c = a_c * acc + b_c (output LSBs).
  const bn = layer.batchNorm === true ? undefined : layer.batchNorm;
  const eps = bn?.epsilon ?? DEFAULT_BN_EPSILON;
  const { g, off } = foldBatchNorm(C, bn, eps, layer.bias);
  const a = g.map((gc, c) => (gc * sw(c) * inT.scale) / outT.scale);
  const b = off.map((o) => o / outT.scale);

  const normInt = bn !== undefined && t.quantNorm;
  const tflite = recipe.requantizer === 'tflite';
  const flip = a.map((ac) => ac < 0 && (normInt || tflite || (bn === undefined && t.doubleQuant)));
  const weights = Array.from(q.values);
  const per = weights.length / C;
  for (let i = 0; i < weights.length; i++) {
    const c = layout.axis === 'outer' ? Math.floor(i / per) : i % C;
    if (flip[c]) weights[i] = -weights[i]!;
  }
  const af = a.map((ac, c) => (flip[c] ? -ac : ac));

  const wr = weightRange(weightBits);
  const accShape = accumulatorShape(wr, rangeOf(tensorShape(inT)), shape.reductionDepth);
  const accRange = rangeOf(accShape);
  const accMaxAbs = Number(accRange.hi > -accRange.lo ? accRange.hi : -accRange.lo);

  const act = layer.activation?.kind ?? 'none';
  const alphas = act === 'prelu' ? layer.activation!.kind === 'prelu' ? layer.activation!.slopes! : undefined : undefined;
  const output = activationOutput(outT, act);

  let requant: Requant;
  if (tflite) {
    const bias: number[] = [];
    const multipliers: number[] = [];
    const shifts: number[] = [];
    af.forEach((ac0, c) => {
      let ac = ac0;
      if (ac === 0) {
        // gamma 0 (a channel pruned through its batch norm): TFLite folds batch
        // norm into the weights, so this channel's folded weights are 0 and its
        // output is the folded bias alone. Do the same: zero its weights and
        // requantize the bias with the multiplier gamma = 1 would give.
        if (weightBits === 1) throw new ModelError(where, [`channel ${c} has multiplier 0 (gamma 0): binary weights cannot be zeroed`]);
        for (let i = 0; i < weights.length; i++) if ((layout.axis === 'outer' ? Math.floor(i / per) : i % C) === c) weights[i] = 0;
        ac = (sw(c) * inT.scale) / outT.scale;
      }
      const m = quantizeMultiplier(ac);
      const bc = roundFloat(b[c]! / ac, 'rne');
      if (Math.abs(bc) + accMaxAbs > 2 ** 31 - 1) throw new ModelError(where, [`channel ${c}: accumulator + bias ${bc} can leave int32`]);
      bias.push(bc);
      multipliers.push(m.multiplier);
      shifts.push(m.shift);
    });
    const pr = preluStage(alphas, t.quantizedPrelu, recipe.prelu.slopeBits);
    requant = { kind: 'tflite', bias, multipliers, shifts, ...(pr?.arithmetic === 'integer' ? { prelu: pr } : {}) };
    if (pr?.arithmetic === 'float') throw new ModelError(where, ['the tflite requantizer needs quantizedPrelu on']);
  } else if (bn !== undefined && normInt) {
    // QuantNorm: n = acc*M + B ~ (a'acc + b')*2^S1 with a' = a/k, k = max a (one scale left for the next stage).
    if (t.doubleQuant) {
      const st = quantNormStages(af, b, accMaxAbs, recipe);
      if (st.shift < 0) throw new ModelError(where, [`the requantizer needs a left shift (${st.shift}): multipliers too large for the widths (from this layer's weights or batch norm, or the output ranges of the layers before it)`]);
      requant = { kind: 'stages', rounding: recipe.rounding, ...st, ...optional(preluStage(alphas, t.quantizedPrelu, recipe.prelu.slopeBits)) };
    } else {
      const k = Math.max(...af) || 1;
      const qn = quantNormFit({ multipliers: af.map((x) => x / k), offsets: b.map((x) => x / k), accMaxAbs, multiplierBits: recipe.quantNorm.multiplierBits });
      const norm = { arithmetic: 'integer' as const, multipliers: qn.multipliers, offsets: qn.offsets, multiplierBits: recipe.quantNorm.multiplierBits };
      if (qn.shift < 0) throw new ModelError(where, ['QuantNorm needs a left shift: multipliers too large for the width']);
      requant = { kind: 'stages', rounding: recipe.rounding, shift: qn.shift, norm, scale: { arithmetic: 'float', multipliers: [f32(k)] }, ...optional(preluStage(alphas, false, 0)) };
    }
  } else if (t.doubleQuant) {
    // Integer scale first: x = acc*Q_c (+ O_c without batch norm), then the float norm if any.
    // s_c = s_w,c * s_x / s_y > 0: the scale without batch norm's g_c.
    const s = bn ? Array.from({ length: C }, (_, c) => (sw(c) * inT.scale) / outT.scale) : af;
    const dq = doubleQuantize(s, recipe.doubleQuant.scaleBits);
    if (dq.shift < 0) throw new ModelError(where, ['Double Quantization needs a left shift: scale too large for the width']);
    if (bn) {
      // s_c = s_w,c s_x / s_y > 0 always; the float norm carries g_c's sign.
      requant = {
        kind: 'stages', rounding: recipe.rounding, shift: dq.shift,
        scale: { arithmetic: 'integer', multipliers: dq.multipliers, scaleBits: recipe.doubleQuant.scaleBits },
        norm: { arithmetic: 'float', multipliers: g.map(f32), offsets: b.map(f32) },
        ...optional(preluStage(alphas, false, 0)),
      };
    } else {
      requant = { kind: 'stages', rounding: recipe.rounding, ...scaleStage(af, b, recipe, dq), ...optional(preluStage(alphas, t.quantizedPrelu, recipe.prelu.slopeBits)) };
    }
  } else if (bn) {
    // Conventional: fp32 batch norm in accumulator units (G = g_c, H = b_c*s_y/s_c), then fp32 quantization
    // scaling R_c = s_c/s_y, as separate operations (what a conventional low-precision model executes).
    const sc = Array.from({ length: C }, (_, c) => (sw(c) * inT.scale) / outT.scale);
    requant = {
      kind: 'stages', rounding: recipe.rounding, shift: 0,
      norm: { arithmetic: 'float', multipliers: g.map(f32), offsets: b.map((x, c) => f32(x / sc[c]!)) },
      scale: { arithmetic: 'float', multipliers: sc.map(f32) },
      ...optional(preluStage(alphas, false, 0)),
    };
  } else {
    requant = { kind: 'stages', rounding: recipe.rounding, shift: 0, scale: { arithmetic: 'float', multipliers: af.map(f32), offsets: b.map(f32) }, ...optional(preluStage(alphas, false, 0)) };
  }

  const common = {
    name: layer.name,
    input: layer.input ?? shape.inputs[0]!,
    weights,
    weightBits,
    weightScales: Array.from(q.scales),
    accumulator: { width: accShape.width, signed: accShape.signed },
    requant,
    output,
  };
  const intLayer: IntWeightedLayer =
    layer.op === 'dense'
      ? { op: 'dense', outFeatures: C, ...common }
      : layer.op === 'conv2d'
        ? { op: 'conv2d', outChannels: C, kernel: layer.kernel, stride: layer.stride ?? 1, padding: layer.padding ?? 0, ...common }
        : { op: 'depthwiseConv2d', kernel: layer.kernel, stride: layer.stride ?? 1, padding: layer.padding ?? 0, ...common };

  const deq = new Float64Array(q.values.length);
  for (let i = 0; i < deq.length; i++) {
    const c = layout.axis === 'outer' ? Math.floor(i / per) : i % C;
    deq[i] = q.values[i]! * sw(c);
  }
  return { layer: intLayer, a: af, b, slopes: alphas ?? new Array<number>(C).fill(1), scheme, dequantizedWeights: deq, accRange: range(accRange.lo, accRange.hi) };
}

/**
 * QuantNorm then Double Quantization of a batch-normed layer's folded map
 * y_c = af_c * acc + b_c (af_c >= 0: signs already folded into the weights):
 * n = acc*M_c + B_c fitted to (af_c/k, b_c/k) with k = max af_c, then k as one
 * 8-bit-style integer scale Q; the requantizer shifts by both shifts at once.
 * Exported so QAT (src/train) fake-quantizes with this very rule.
 */
export function quantNormStages(af: readonly number[], b: readonly number[], accMaxAbs: number, recipe: Recipe): {
  shift: number;
  norm: { arithmetic: 'integer'; multipliers: number[]; offsets: number[]; multiplierBits: number };
  scale: { arithmetic: 'integer'; multipliers: number[]; scaleBits: number };
} {
  const k = Math.max(...af) || 1;
  const qn = quantNormFit({ multipliers: af.map((x) => x / k), offsets: b.map((x) => x / k), accMaxAbs, multiplierBits: recipe.quantNorm.multiplierBits });
  const dq = doubleQuantize([k], recipe.doubleQuant.scaleBits);
  return {
    shift: qn.shift + dq.shift,
    norm: { arithmetic: 'integer', multipliers: qn.multipliers, offsets: qn.offsets, multiplierBits: recipe.quantNorm.multiplierBits },
    scale: { arithmetic: 'integer', multipliers: dq.multipliers, scaleBits: recipe.doubleQuant.scaleBits },
  };
}

/**
 * Double Quantization of a layer without batch norm: per-channel scales af_c
 * (> 0) as Q_c * 2^-S and the offsets b_c at the same shift: x = acc*Q_c + O_c.
 * `dq` is the fit when the caller has it already.
 */
export function scaleStage(af: readonly number[], b: readonly number[], recipe: Recipe, dq = doubleQuantize(af, recipe.doubleQuant.scaleBits)): {
  shift: number;
  scale: { arithmetic: 'integer'; multipliers: number[]; offsets: number[]; scaleBits: number };
} {
  const offsets = b.map((x) => roundFloat(x * 2 ** dq.shift, 'rne'));
  return { shift: dq.shift, scale: { arithmetic: 'integer', multipliers: dq.multipliers, offsets, scaleBits: recipe.doubleQuant.scaleBits } };
}

function optional(p: PreluStage | undefined): { prelu?: PreluStage } {
  return p === undefined ? {} : { prelu: p };
}
