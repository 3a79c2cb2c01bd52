/**
 * Execute an integer network file, bit-exactly, layer by layer. Every layer
 * first proves from its declared widths that its intermediates are exact as
 * JS numbers (requantRanges, accumulator width <= 53 bits) and otherwise runs
 * on BigInt: results are identical either way, only speed differs.
 */
import { type RoundingMode, boundsNumber, clampNumber, rangeOf, roundFloat, roundShift, shape } from '../arith/index.ts';
import { type IntNetwork, type IntLayer, type IntWeightedLayer, type IntAddLayer, type IntAvgPoolLayer, type IntMaxPoolLayer, type PreluStage, type TensorSpec, type OutputSpec, walkIntNetwork, tensorShape, ModelError, formatPath } from '../model/index.ts';
import { windowGeometry } from './geometry.ts';
import { maxPoolInto } from './maxPool.ts';
import { paddedPoolCounts, paddedPoolSums, paddedPoolSumsBig } from './paddedPool.ts';
import { conv2dAccumulate, depthwiseConv2dAccumulate, denseAccumulate, poolSum, globalPoolSum } from './convInt.ts';
import { conv2dAccumulateBig, depthwiseConv2dAccumulateBig, denseAccumulateBig, poolSumBig } from './kernelsBig.ts';
import { requantElement, requantElementBig, requantRanges } from './requantStages.ts';
import { alignedSum, averageOf, prelu } from './elementwise.ts';
import { averageOfBig, preluBig } from './elementwiseBig.ts';
import { isSafeRange, isSafeRange as safe } from './safeInteger.ts';
import { addRanges, mulRanges, range } from '../arith/index.ts';
import type { IntLayerShape } from '../model/index.ts';

export interface RunIntOptions {
  /** Run every layer on BigInt even where the number path is proven exact (to test that both agree). */
  readonly forceBigInt?: boolean;
}

export interface IntRun {
  /** Every layer's output tensor (NHWC), by layer name. */
  readonly outputs: ReadonlyMap<string, Int32Array>;
  /** The last layer's output. */
  readonly output: Int32Array;
  /** Layers that ran on BigInt because a width proof failed (normally none). */
  readonly bigIntLayers: readonly string[];
}

/** Quantize a float input for the network: q = clamp(roundFloat(v / scale, 'rne')) to the input tensor's shape. */
export function quantizeInput(tensor: TensorSpec, values: ArrayLike<number>): Int32Array {
  const { lo, hi } = boundsNumber(tensorShape(tensor));
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`input[${i}]: ${v} is not a finite number`);
    out[i] = clampNumber(roundFloat(v / tensor.scale, 'rne'), lo, hi);
  }
  return out;
}

const pick = (a: readonly number[], c: number): number => (a.length === 1 ? a[0]! : a[c]!);

function preluInt(x: number, p: PreluStage | undefined, c: number, mode: RoundingMode): number {
  if (p === undefined || p.arithmetic !== 'integer') return x;
  return prelu(x, pick(p.slopes, c), p.shift, mode);
}

function runWeighted(layer: IntWeightedLayer, s: IntLayerShape, x: Int32Array, big: string[], forceBig: boolean): Int32Array {
  const { input: i, output: o } = s;
  const n = o.height * o.width * o.channels;
  const accShape = shape(layer.accumulator.width, layer.accumulator.signed);
  const accRange = rangeOf(accShape);
  const ranges = requantRanges(layer.requant, accRange);
  const out = new Int32Array(n);
  const C = o.channels;
  if (!forceBig && isSafeRange(accRange) && ranges.safe) {
    const acc = new Float64Array(n);
    const w = Int32Array.from(layer.weights);
    if (layer.op === 'dense') denseAccumulate(x, w, C, acc);
    else {
      const g = windowGeometry(i.height, i.width, i.channels, layer.kernel, layer.stride, layer.padding, C);
      if (layer.op === 'conv2d') conv2dAccumulate(x, g, w, acc);
      else depthwiseConv2dAccumulate(x, g, w, acc);
    }
    for (let k = 0; k < n; k++) out[k] = requantElement(acc[k]!, k % C, layer.requant, layer.output);
    return out;
  }
  big.push(layer.name);
  const xb = Array.from(x, BigInt);
  const wb = layer.weights.map(BigInt);
  let acc: bigint[];
  if (layer.op === 'dense') acc = denseAccumulateBig(xb, wb, C);
  else {
    const g = windowGeometry(i.height, i.width, i.channels, layer.kernel, layer.stride, layer.padding, C);
    acc = layer.op === 'conv2d' ? conv2dAccumulateBig(xb, g, wb) : depthwiseConv2dAccumulateBig(xb, g, wb);
  }
  for (let k = 0; k < n; k++) out[k] = Number(requantElementBig(acc[k]!, k % C, layer.requant, layer.output));
  return out;
}

function runPool(layer: IntAvgPoolLayer, s: IntLayerShape, x: Int32Array, forceBig: boolean): Int32Array {
  const { input: i, output: o } = s;
  const c = i.channels;
  const sum = new Float64Array(o.height * o.width * c);
  const count = layer.kernel === 'global' ? i.height * i.width : layer.kernel * layer.kernel;
  // The sum of `count` values of the input shape: exact when count * 2^bits < 2^53.
  const sumRange = rangeOf(tensorShape(s.inputTensor));
  const proof = !forceBig && safe(range(sumRange.lo * BigInt(count), sumRange.hi * BigInt(count)));
  const pad = layer.padding ?? 0;
  if (layer.kernel !== 'global' && pad > 0) {
    // Padded: each output divides by its own count of real inputs (at most k*k, so the proof above covers it).
    const g = windowGeometry(i.height, i.width, c, layer.kernel, layer.stride, pad, c);
    const counts = paddedPoolCounts(g);
    const clamp = (v: number): number => clampNumber(v, layer.output.min, layer.output.max);
    if (!proof) return Int32Array.from(paddedPoolSumsBig(Array.from(x, BigInt), g), (v, k) => clamp(Number(averageOfBig(v, BigInt(counts[Math.floor(k / c)]!), layer.rounding))));
    return Int32Array.from(paddedPoolSums(x, g), (v, k) => clamp(averageOf(v, counts[Math.floor(k / c)]!, layer.rounding)));
  }
  if (!proof) {
    const kh = layer.kernel === 'global' ? i.height : layer.kernel;
    const kw = layer.kernel === 'global' ? i.width : layer.kernel;
    const sums = poolSumBig(Array.from(x, BigInt), i.height, i.width, c, kh, kw, layer.kernel === 'global' ? 1 : layer.stride);
    return Int32Array.from(sums, (v) => clampNumber(Number(averageOfBig(v, BigInt(count), layer.rounding)), layer.output.min, layer.output.max));
  }
  if (layer.kernel === 'global') globalPoolSum(x, i.height * i.width, c, sum);
  else poolSum(x, windowGeometry(i.height, i.width, c, layer.kernel, layer.stride, 0, c), sum);
  const out = new Int32Array(sum.length);
  for (let k = 0; k < sum.length; k++) out[k] = clampNumber(averageOf(sum[k]!, count, layer.rounding), layer.output.min, layer.output.max);
  return out;
}

/** Max pooling, then the output's saturation bounds (a no-op when they are the input tensor's range). */
function runMaxPool(layer: IntMaxPoolLayer, s: IntLayerShape, x: Int32Array): Int32Array {
  const out = new Int32Array(s.output.height * s.output.width * s.output.channels);
  maxPoolInto(x, windowGeometry(s.input.height, s.input.width, s.input.channels, layer.kernel, layer.stride, layer.padding, s.input.channels), out);
  for (let k = 0; k < out.length; k++) out[k] = clampNumber(out[k]!, layer.output.min, layer.output.max);
  return out;
}

function runAdd(layer: IntAddLayer, s: IntLayerShape, x1: Int32Array, x2: Int32Array, forceBig: boolean): Int32Array {
  const out = new Int32Array(x1.length);
  const C = s.output.channels;
  const a = layer.align;
  const o: OutputSpec = layer.output;
  if (a.arithmetic === 'integer') {
    const [m1, m2] = a.multipliers;
    const r1 = mulRanges(rangeOf(tensorShape(s.inputTensor)), range(BigInt(m1), BigInt(m1)));
    const r2 = mulRanges(rangeOf(tensorShape(s.withTensor!)), range(BigInt(m2), BigInt(m2)));
    if (forceBig || !safe(addRanges(r1, r2))) {
      for (let k = 0; k < x1.length; k++) {
        let v = roundShift(BigInt(x1[k]!) * BigInt(m1) + BigInt(x2[k]!) * BigInt(m2), a.shift, a.rounding);
        const p = layer.prelu;
        if (p?.arithmetic === 'integer') v = preluBig(v, BigInt(pick(p.slopes, k % C)), p.shift, a.rounding);
        out[k] = Number(v < BigInt(o.min) ? BigInt(o.min) : v > BigInt(o.max) ? BigInt(o.max) : v);
      }
      return out;
    }
    for (let k = 0; k < x1.length; k++) {
      const v = preluInt(alignedSum(x1[k]!, m1, x2[k]!, m2, a.shift, a.rounding), layer.prelu, k % C, a.rounding);
      out[k] = clampNumber(v, o.min, o.max);
    }
    return out;
  }
  const f32 = Math.fround;
  const [g1, g2] = a.multipliers;
  for (let k = 0; k < x1.length; k++) {
    let v = f32(f32(f32(x1[k]!) * g1) + f32(f32(x2[k]!) * g2));
    if (layer.prelu?.arithmetic === 'float' && v < 0) v = f32(v * pick(layer.prelu.slopes, k % C));
    out[k] = clampNumber(roundFloat(v, 'rne'), o.min, o.max);
  }
  return out;
}

export function runInt(net: IntNetwork, input: Int32Array, options: RunIntOptions = {}): IntRun {
  const forceBig = options.forceBigInt === true;
  const { shapes, issues } = walkIntNetwork(net);
  if (issues.length > 0) throw new ModelError(`integer network "${net.name}"`, issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const expected = net.input.height * net.input.width * net.input.channels;
  if (input.length !== expected) {
    throw new ModelError('input', [`expected ${expected} values (${net.input.height}x${net.input.width}x${net.input.channels}), got ${input.length}`]);
  }
  const { lo, hi } = boundsNumber(tensorShape(net.input.tensor));
  const bad = input.findIndex((v) => v < lo || v > hi);
  if (bad >= 0) throw new ModelError('input', [`[${bad}]: ${input[bad]} is outside the input tensor's range [${lo}, ${hi}]`]);
  const outputs = new Map<string, Int32Array>([['input', input]]);
  const big: string[] = [];
  net.layers.forEach((layer: IntLayer, idx) => {
    const s = shapes[idx]!;
    const x = outputs.get(layer.input)!;
    let y: Int32Array;
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense':
        y = runWeighted(layer, s, x, big, forceBig);
        break;
      case 'avgPool':
        y = runPool(layer, s, x, forceBig);
        break;
      case 'maxPool':
        y = runMaxPool(layer, s, x);
        break;
      case 'add':
        y = runAdd(layer, s, x, outputs.get(layer.with)!, forceBig);
        break;
    }
    outputs.set(layer.name, y);
  });
  outputs.delete('input');
  return { outputs, output: outputs.get(net.layers[net.layers.length - 1]!.name)!, bigIntLayers: big };
}
