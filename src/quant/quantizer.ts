/**
 * Uniform quantizers: symmetric (signed, zero point 0) or asymmetric
 * (unsigned codes with a zero point), per tensor or per channel, 1 to 8 bits,
 * optionally with power-of-two scales.
 *
 *   symmetric, bits >= 2:  q in [-(2^(b-1) - 1), 2^(b-1) - 1], x ~ s*q
 *                          (bits = 2 is ternary {-1, 0, 1}; the code -2^(b-1) is
 *                          left unused so that negating a channel is exact)
 *   symmetric, bits = 1:   binary q in {-1, +1}, x ~ s*q, s = mean |x| (the
 *                          least-squares scale for signs)
 *   asymmetric:            q in [0, 2^b - 1], x ~ s*(q - z)
 *
 * q = clamp(roundFloat(x / s, 'rne')) (+ z): round-half-even, as tf.round
 * and fp32 hardware do. The clipping threshold T (largest magnitude kept)
 * comes from a ClippingRule: 'max' (no clipping), 'mse' (the T in a grid of
 * 1/128 steps of max|x| that minimises squared error), or 'percentile'.
 */
import { roundFloat, roundHalfEven, clampNumber, clampSmallInteger } from '../arith/index.ts';
import type { ClippingRule, Granularity } from './recipes.ts';

export interface QuantizerSpec {
  readonly bits: number;
  readonly symmetric: boolean;
  readonly granularity: Granularity;
  readonly clipping: ClippingRule;
  readonly percentile?: number;
  readonly powerOfTwoScale: boolean;
}

/** Where the channel index lives in a flat tensor: the outermost axis
 *  (conv2d [outC][..], dense [outF][inF]) or the innermost (depthwise [kh][kw][C]). */
export type ChannelAxis = 'outer' | 'inner';

export interface TensorLayout {
  readonly channels: number;
  readonly axis: ChannelAxis;
}

export interface QuantizedTensor {
  readonly values: Int32Array;
  /** One scale per channel (per-channel) or one (per-tensor). */
  readonly scales: Float64Array;
  readonly zeroPoints: Int32Array;
  readonly qmin: number;
  readonly qmax: number;
  readonly spec: QuantizerSpec;
  readonly layout: TensorLayout;
}

export function checkSpec(spec: QuantizerSpec): void {
  if (!Number.isInteger(spec.bits) || spec.bits < 1 || spec.bits > 8) {
    throw new RangeError(`quantizer: bits ${spec.bits} is invalid: bits must be an integer from 1 to 8`);
  }
  if (!spec.symmetric && spec.bits < 1) throw new RangeError('quantizer: asymmetric needs at least 1 bit');
  if (spec.clipping === 'percentile' && !(spec.percentile !== undefined && spec.percentile > 0 && spec.percentile <= 100)) {
    throw new RangeError(`quantizer: percentile ${String(spec.percentile)} is invalid: clipping 'percentile' needs a percentile in (0, 100]`);
  }
}

/** The integer code range of a spec. */
export function codeRange(spec: QuantizerSpec): { qmin: number; qmax: number } {
  if (!spec.symmetric) return { qmin: 0, qmax: 2 ** spec.bits - 1 };
  if (spec.bits === 1) return { qmin: -1, qmax: 1 };
  const m = 2 ** (spec.bits - 1) - 1;
  return { qmin: -m, qmax: m };
}

/** Indices of each channel's elements. */
export function channelGroups(length: number, layout: TensorLayout, granularity: Granularity): number[][] {
  if (granularity === 'per-tensor') return [Array.from({ length }, (_, i) => i)];
  const { channels, axis } = layout;
  if (length % channels !== 0) throw new RangeError(`quantizer: ${length} elements do not split into ${channels} channels`);
  const per = length / channels;
  return Array.from({ length: channels }, (_, c) => Array.from({ length: per }, (_, j) => (axis === 'outer' ? c * per + j : j * channels + c)));
}

interface GroupParams {
  scale: number;
  zeroPoint: number;
}

function roundScale(s: number, powerOfTwo: boolean): number {
  // Round a power-of-two scale up, so the range is never clipped further than asked.
  return powerOfTwo && s > 0 ? 2 ** Math.ceil(Math.log2(s)) : s;
}

function quantizeValue(x: number, p: GroupParams, qmin: number, qmax: number, binary: boolean): number {
  if (binary) return x >= 0 ? 1 : -1;
  if (p.scale === 0) return clampNumber(p.zeroPoint, qmin, qmax);
  return clampNumber(roundFloat(x / p.scale, 'rne') + p.zeroPoint, qmin, qmax);
}

function paramsFor(xs: Float64Array, lo: number, hi: number, spec: QuantizerSpec): GroupParams {
  const { qmin, qmax } = codeRange(spec);
  if (spec.symmetric) {
    if (spec.bits === 1) {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += Math.abs(xs[i]!);
      const mean = sum / Math.max(1, xs.length);
      return { scale: roundScale(mean, spec.powerOfTwoScale), zeroPoint: 0 };
    }
    const t = Math.max(Math.abs(lo), Math.abs(hi));
    return { scale: roundScale(t / qmax, spec.powerOfTwoScale), zeroPoint: 0 };
  }
  // Asymmetric: the range must contain 0 so that 0 is exact (padding, ReLU).
  const l = Math.min(0, lo);
  const h = Math.max(0, hi);
  const scale = roundScale((h - l) / (qmax - qmin), spec.powerOfTwoScale);
  const zeroPoint = scale === 0 ? 0 : clampNumber(roundFloat(-l / scale, 'rne'), qmin, qmax);
  return { scale, zeroPoint };
}

/**
 * Squared error of a group at params p, summed in element order (the order
 * decides the float result, and so which candidate wins a near-tie). Stops
 * early once the partial sum reaches `limit`: the terms are >= 0 and a float
 * sum of non-negative terms never decreases, so the full sum would be >= limit
 * too and the caller, which keeps only strictly smaller errors, would reject it.
 */
function groupError(xs: Float64Array, p: GroupParams, qmin: number, qmax: number, binary: boolean, limit = Infinity): number {
  const { scale, zeroPoint } = p;
  let e = 0;
  if (binary || !(scale > 0)) {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const d = x - scale * (quantizeValue(x, p, qmin, qmax, binary) - zeroPoint);
      e += d * d;
      if (e >= limit) return e;
    }
    return e;
  }
  // The same codes as quantizeValue, computed without data-dependent branches (roundHalfEven,
  // clampSmallInteger: exact for these small integers); a quotient at or beyond 2^50 (a
  // subnormal scale) takes quantizeValue.
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = x / scale;
    const q = Math.abs(y) < 1125899906842624 ? clampSmallInteger(roundHalfEven(y) + zeroPoint, qmin, qmax) : quantizeValue(x, p, qmin, qmax, false);
    const d = x - scale * (q - zeroPoint);
    e += d * d;
    if (e >= limit) return e;
  }
  return e;
}

function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

function chooseParams(xs: Float64Array, spec: QuantizerSpec): GroupParams {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (xs.length === 0) return { scale: 0, zeroPoint: 0 };
  switch (spec.clipping) {
    case 'max':
      return paramsFor(xs, lo, hi, spec);
    case 'percentile': {
      const p = spec.percentile!;
      if (spec.symmetric) {
        const t = percentileOf(Array.from(xs, Math.abs).sort((a, b) => a - b), p);
        return paramsFor(xs, -t, t, spec);
      }
      const sorted = Array.from(xs).sort((a, b) => a - b);
      return paramsFor(xs, percentileOf(sorted, 100 - p), percentileOf(sorted, p), spec);
    }
    case 'mse': {
      // Shrink the range by alpha in 1/128 steps; keep the alpha with the least squared error
      // (alpha = 1, no clipping, is a candidate, so 'mse' is never worse than 'max').
      // Two shortcuts leave the choice unchanged: a candidate whose params equal the previous
      // candidate's has the same error, which already lost or set bestErr (skip it); and an
      // error sum stops once it reaches bestErr (groupError).
      const { qmin, qmax } = codeRange(spec);
      const binary = spec.symmetric && spec.bits === 1;
      let best = paramsFor(xs, lo, hi, spec);
      let bestErr = groupError(xs, best, qmin, qmax, binary);
      let last = best;
      for (let k = 127; k >= 8; k--) {
        const a = k / 128;
        const p = paramsFor(xs, lo * a, hi * a, spec);
        if (p.scale === last.scale && p.zeroPoint === last.zeroPoint) continue;
        last = p;
        const e = groupError(xs, p, qmin, qmax, binary, bestErr);
        if (e < bestErr) {
          best = p;
          bestErr = e;
        }
      }
      return best;
    }
  }
}

export function quantizeTensor(x: ArrayLike<number>, layout: TensorLayout, spec: QuantizerSpec): QuantizedTensor {
  checkSpec(spec);
  const { qmin, qmax } = codeRange(spec);
  const binary = spec.symmetric && spec.bits === 1;
  // The groups of channelGroups, addressed arithmetically (element j of group g is at
  // first(g) + j * step): index arrays and a closure per element cost more than the search.
  if (spec.granularity === 'per-channel' && x.length % layout.channels !== 0) throw new RangeError(`quantizer: ${x.length} elements do not split into ${layout.channels} channels`);
  const count = spec.granularity === 'per-tensor' ? 1 : layout.channels;
  const per = x.length / count;
  const inner = count > 1 && layout.axis === 'inner';
  const first = (g: number): number => (inner ? g : g * per);
  const step = inner ? count : 1;
  const values = new Int32Array(x.length);
  const scales = new Float64Array(count);
  const zeroPoints = new Int32Array(count);
  const xs = new Float64Array(per);
  const params: GroupParams[] = [];
  for (let g = 0; g < count; g++) {
    for (let j = 0, i = first(g); j < per; j++, i += step) xs[j] = x[i]!;
    params.push(chooseParams(xs, spec));
  }
  // A group of zeros (a pruned channel) gets scale 0 from its range, and a
  // scale of 0 cannot be a tensor's LSB (the integer file requires > 0, and
  // requantization divides by it). Its codes are 0 (+-1 when binary) whatever
  // the scale, so give it the smallest positive scale of the tensor: that
  // keeps its multipliers inside the range of the others. All zero: scale 1.
  let standIn = Infinity;
  for (const p of params) if (p.scale > 0 && p.scale < standIn) standIn = p.scale;
  if (standIn === Infinity) standIn = 1;
  for (let g = 0; g < count; g++) {
    const chosen = params[g]!;
    const p = chosen.scale > 0 ? chosen : { scale: standIn, zeroPoint: chosen.zeroPoint };
    scales[g] = p.scale;
    zeroPoints[g] = p.zeroPoint;
    for (let j = 0, i = first(g); j < per; j++, i += step) values[i] = quantizeValue(x[i]!, p, qmin, qmax, binary);
  }
  return { values, scales, zeroPoints, qmin, qmax, spec, layout };
}

/** Scale and zero point that apply to element i. */
export function groupOf(q: QuantizedTensor, i: number): number {
  if (q.scales.length === 1) return 0;
  const per = q.values.length / q.layout.channels;
  return q.layout.axis === 'outer' ? Math.floor(i / per) : i % q.layout.channels;
}

export function dequantize(q: QuantizedTensor): Float64Array {
  const out = new Float64Array(q.values.length);
  for (let i = 0; i < out.length; i++) {
    const g = groupOf(q, i);
    out[i] = q.scales[g]! * (q.values[i]! - q.zeroPoints[g]!);
  }
  return out;
}

export interface QuantizationError {
  readonly mse: number;
  /** mse / mean(x^2): comparable across tensors of different magnitude. */
  readonly nmse: number;
  readonly maxAbs: number;
}

export function quantizationError(x: ArrayLike<number>, q: QuantizedTensor): QuantizationError {
  const d = dequantize(q);
  let se = 0;
  let ss = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const e = x[i]! - d[i]!;
    se += e * e;
    ss += x[i]! * x[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(e));
  }
  const n = Math.max(1, x.length);
  return { mse: se / n, nmse: ss === 0 ? 0 : se / ss, maxAbs };
}
