/**
 * Whole-network rules of the integer network file: references to earlier
 * layers, shapes, tensor lengths, per-channel array lengths, integers that fit
 * their declared widths, saturation bounds inside the output shape, and the
 * declared accumulator equal to the one the width rules derive.
 */
import { accumulatorShape, addRanges, fits, maxOf, minOf, range, rangeOf, shape, shapeName, signed as signedShape, type Range, type Shape } from '../arith/index.ts';
import type { IntNetwork, TensorSpec } from './intNetwork.ts';
import { convOutputSize, type NetworkIssue, type TensorShape } from './networkRules.ts';

export interface IntLayerShape {
  readonly input: TensorShape;
  readonly output: TensorShape;
  /** The tensor read (and for add, the second one). */
  readonly inputTensor: TensorSpec;
  readonly withTensor?: TensorSpec;
  readonly reductionDepth: number;
}

export const tensorShape = (t: { bits: number; signed: boolean }): Shape => shape(t.bits, t.signed);

/** Integer weights are symmetric: b bits hold [-(2^(b-1) - 1), 2^(b-1) - 1] (b = 2: ternary), and
 *  1 bit holds {-1, +1}. The code -2^(b-1) is unused, so negating a channel is exact, and the
 *  accumulator can be a bit narrower than signed(b) x input would need. */
export function weightRange(bits: number): Range {
  const m = bits === 1 ? 1n : (1n << BigInt(bits - 1)) - 1n;
  return range(-m, m);
}

/** The reference model holds every tensor as int32: a tensor's range must fit it. */
const INT32 = signedShape(32);
function tensorFitsInt32(t: { bits: number; signed: boolean }): boolean {
  const s = tensorShape(t);
  return fits(minOf(s), INT32) && fits(maxOf(s), INT32);
}
const TENSOR_INT32_RULE = 'a tensor must fit int32 (the reference model and the stream formats hold tensors as int32): unsigned tensors have at most 31 bits';

/** Shapes and the tensors each layer reads; issues for everything that does not hold together. */
export function walkIntNetwork(net: IntNetwork): { shapes: IntLayerShape[]; issues: NetworkIssue[] } {
  const issues: NetworkIssue[] = [];
  const shapes: IntLayerShape[] = [];
  const known = new Map<string, { shape: TensorShape; tensor: TensorSpec }>([
    ['input', { shape: { height: net.input.height, width: net.input.width, channels: net.input.channels }, tensor: net.input.tensor }],
  ]);
  if (!tensorFitsInt32(net.input.tensor)) issues.push({ path: ['input', 'tensor', 'bits'], message: `u${net.input.tensor.bits} is too wide: ${TENSOR_INT32_RULE}` });
  net.layers.forEach((layer, i) => {
    const at = (...p: (string | number)[]): (string | number)[] => ['layers', i, ...p];
    const issue = (path: (string | number)[], message: string): void => void issues.push({ path, message });
    if (known.has(layer.name)) issue(at('name'), `layer name "${layer.name}" is used twice: names must be unique`);
    let src = known.get(layer.input);
    if (src === undefined) {
      issue(at('input'), `"${layer.input}" is not an earlier layer: input must name a layer above this one, or "input"`);
      src = known.get('input')!;
    }
    const input = src.shape;
    let output: TensorShape = input;
    let depth = 1;
    let withTensor: TensorSpec | undefined;
    const perChannel = (path: (string | number)[], arr: readonly unknown[], c: number): void => {
      if (arr.length !== 1 && arr.length !== c) issue(path, `expected 1 or ${c} values (one per channel), got ${arr.length}`);
    };
    const intsFit = (path: (string | number)[], arr: readonly number[], s: Shape, what: string): void => {
      const bad = arr.findIndex((v) => !fits(BigInt(v), s));
      if (bad >= 0) issue([...path, bad], `${what} ${arr[bad]} does not fit ${shapeName(s)}`);
    };

    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense': {
        let weightCount: number;
        let outC: number;
        if (layer.op === 'dense') {
          depth = input.height * input.width * input.channels;
          outC = layer.outFeatures;
          output = { height: 1, width: 1, channels: outC };
          weightCount = depth * outC;
        } else {
          const k = layer.kernel;
          const h = convOutputSize(input.height, k, layer.stride, layer.padding);
          const w = convOutputSize(input.width, k, layer.stride, layer.padding);
          if (h < 1 || w < 1) issue(at('kernel'), `kernel ${k} does not fit the ${input.height}x${input.width} input`);
          outC = layer.op === 'conv2d' ? layer.outChannels : input.channels;
          output = { height: Math.max(1, h), width: Math.max(1, w), channels: outC };
          depth = layer.op === 'conv2d' ? k * k * input.channels : k * k;
          weightCount = layer.op === 'conv2d' ? outC * depth : depth * outC;
        }
        if (layer.weights.length !== weightCount) issue(at('weights'), `expected ${weightCount} integers for ${layer.op} with ${depth} terms per output and ${outC} channels, got ${layer.weights.length}`);
        const wr = weightRange(layer.weightBits);
        const badW = layer.weights.findIndex((v) => BigInt(v) < wr.lo || BigInt(v) > wr.hi);
        if (badW >= 0) issue(at('weights', badW), `weight ${layer.weights[badW]} is outside the symmetric ${layer.weightBits}-bit range [${wr.lo}, ${wr.hi}]${layer.weightBits === 1 ? ' (binary weights are -1 or +1)' : ''}`);
        if (layer.weightBits === 1 && layer.weights.includes(0)) issue(at('weights', layer.weights.indexOf(0)), 'weight 0 is not binary: 1-bit weights are -1 or +1');
        perChannel(at('weightScales'), layer.weightScales, outC);
        const acc = accumulatorShape(wr, rangeOf(tensorShape(src.tensor)), depth);
        if (acc.width !== layer.accumulator.width || acc.signed !== layer.accumulator.signed) {
          issue(at('accumulator'), `declared ${shapeName(shape(layer.accumulator.width, layer.accumulator.signed))} but ${depth} products of ${layer.weightBits}-bit symmetric weights and ${shapeName(tensorShape(src.tensor))} inputs need ${shapeName(acc)}`);
        }
        const r = layer.requant;
        if (r.kind === 'tflite') {
          for (const key of ['bias', 'multipliers', 'shifts'] as const) perChannel(at('requant', key), r[key], outC);
          intsFit(at('requant', 'bias'), r.bias, signedShape(32), 'bias');
          const bad = r.multipliers.findIndex((m) => m !== 0 && (m < 2 ** 30 || m >= 2 ** 31));
          if (bad >= 0) issue(at('requant', 'multipliers', bad), `multiplier ${r.multipliers[bad]} is invalid: a Q31 multiplier is 0 or in [2^30, 2^31)`);
          // TFLite's datapath is int32: acc + bias, then shifted left by max(shift, 0), must stay in it.
          const accRange = rangeOf(acc);
          const maxBias = r.bias.reduce((m, b) => Math.max(m, Math.abs(b)), 0);
          const maxLeft = r.shifts.reduce((m, v) => Math.max(m, v), 0);
          const sum = addRanges(accRange, range(-BigInt(maxBias), BigInt(maxBias)));
          const lo = sum.lo * (1n << BigInt(maxLeft));
          const hi = sum.hi * (1n << BigInt(maxLeft));
          if (!fits(lo, INT32) || !fits(hi, INT32)) {
            issue(at('requant'), `accumulator (${shapeName(acc)}) + bias up to ${maxBias}, shifted left by ${maxLeft}, reaches [${lo}, ${hi}]: TFLite's requantizer works in int32`);
          }
        } else {
          if (r.norm === undefined && r.scale === undefined) issue(at('requant'), 'needs a norm or a scale stage');
          if (r.norm !== undefined) {
            perChannel(at('requant', 'norm', 'multipliers'), r.norm.multipliers, outC);
            perChannel(at('requant', 'norm', 'offsets'), r.norm.offsets, outC);
            if (r.norm.arithmetic === 'integer') intsFit(at('requant', 'norm', 'multipliers'), r.norm.multipliers, shape(r.norm.multiplierBits, false), 'multiplier');
          }
          if (r.scale !== undefined) {
            perChannel(at('requant', 'scale', 'multipliers'), r.scale.multipliers, outC);
            if (r.scale.offsets !== undefined) perChannel(at('requant', 'scale', 'offsets'), r.scale.offsets, outC);
            if (r.scale.arithmetic === 'integer') intsFit(at('requant', 'scale', 'multipliers'), r.scale.multipliers, shape(r.scale.scaleBits, false), 'scale');
          }
          const anyFloat = r.norm?.arithmetic === 'float' || r.scale?.arithmetic === 'float';
          if (r.prelu?.arithmetic === 'integer' && anyFloat) issue(at('requant', 'prelu'), 'an integer PReLU needs integer norm and scale stages: a float stage keeps every later stage float');
        }
        const pr = r.prelu;
        if (pr !== undefined) {
          perChannel(at('requant', 'prelu', 'slopes'), pr.slopes, outC);
          if (pr.arithmetic === 'integer') intsFit(at('requant', 'prelu', 'slopes'), pr.slopes, signedShape(pr.slopeBits), 'slope');
        }
        break;
      }
      case 'avgPool': {
        const pad = layer.padding ?? 0;
        if (layer.kernel === 'global') {
          if (pad !== 0) issue(at('padding'), 'a global pool has no padding: remove it');
          output = { height: 1, width: 1, channels: input.channels };
          depth = input.height * input.width;
        } else {
          const k = layer.kernel;
          if (pad >= k) issue(at('padding'), `padding ${pad} is invalid for pool kernel ${k}: padding must be below the kernel size`);
          if (k > input.height + 2 * pad || k > input.width + 2 * pad) issue(at('kernel'), `pool kernel ${k} is larger than the ${input.height}x${input.width} input${pad > 0 ? ` with padding ${pad}` : ''}`);
          output = { height: Math.max(1, convOutputSize(input.height, k, layer.stride, pad)), width: Math.max(1, convOutputSize(input.width, k, layer.stride, pad)), channels: input.channels };
          depth = k * k;
        }
        if (layer.output.bits !== src.tensor.bits || layer.output.signed !== src.tensor.signed || layer.output.scale !== src.tensor.scale) {
          issue(at('output'), 'average pooling keeps its input tensor: output bits, signedness and scale must equal the input\'s');
        }
        break;
      }
      case 'maxPool': {
        const k = layer.kernel;
        const h = convOutputSize(input.height, k, layer.stride, layer.padding);
        const w = convOutputSize(input.width, k, layer.stride, layer.padding);
        if (layer.padding >= k) issue(at('padding'), `padding ${layer.padding} is invalid for pool kernel ${k}: padding must be below the kernel size`);
        if (h < 1 || w < 1) issue(at('kernel'), `pool kernel ${k} with padding ${layer.padding} does not fit the ${input.height}x${input.width} input`);
        output = { height: Math.max(1, h), width: Math.max(1, w), channels: input.channels };
        depth = k * k;
        if (layer.output.bits !== src.tensor.bits || layer.output.signed !== src.tensor.signed || layer.output.scale !== src.tensor.scale) {
          issue(at('output'), 'max pooling keeps its input tensor: output bits, signedness and scale must equal the input\'s');
        }
        break;
      }
      case 'add': {
        const other = known.get(layer.with);
        depth = 2;
        if (other === undefined) issue(at('with'), `"${layer.with}" is not an earlier layer: with must name a layer above this one, or "input"`);
        else {
          withTensor = other.tensor;
          const o = other.shape;
          if (o.height !== input.height || o.width !== input.width || o.channels !== input.channels) {
            issue(at('with'), `shapes differ: "${layer.input}" is ${input.height}x${input.width}x${input.channels} but "${layer.with}" is ${o.height}x${o.width}x${o.channels}: add needs equal shapes`);
          }
        }
        if (layer.align.arithmetic === 'integer') intsFit(at('align', 'multipliers'), layer.align.multipliers, shape(layer.align.scaleBits, false), 'multiplier');
        if (layer.prelu !== undefined) {
          perChannel(at('prelu', 'slopes'), layer.prelu.slopes, input.channels);
          if (layer.prelu.arithmetic === 'integer') intsFit(at('prelu', 'slopes'), layer.prelu.slopes, signedShape(layer.prelu.slopeBits), 'slope');
          if (layer.prelu.arithmetic === 'integer' && layer.align.arithmetic === 'float') issue(at('prelu'), 'an integer PReLU needs integer alignment');
        }
        break;
      }
    }
    const out = layer.output;
    const os = tensorShape(out);
    if (!tensorFitsInt32(out)) issue(at('output', 'bits'), `u${out.bits} is too wide: ${TENSOR_INT32_RULE}`);
    if (!(out.min <= out.max)) issue(at('output'), `min ${out.min} is above max ${out.max}`);
    if (!fits(BigInt(out.min), os) || !fits(BigInt(out.max), os)) {
      issue(at('output'), `bounds [${out.min}, ${out.max}] are outside ${shapeName(os)} [${minOf(os)}, ${maxOf(os)}]`);
    }
    if (!known.has(layer.name)) known.set(layer.name, { shape: output, tensor: { bits: out.bits, signed: out.signed, scale: out.scale } });
    shapes.push({ input, output, inputTensor: src.tensor, ...(withTensor ? { withTensor } : {}), reductionDepth: depth });
  });
  return { shapes, issues };
}

export function checkIntNetworkRules(net: IntNetwork): NetworkIssue[] {
  return walkIntNetwork(net).issues;
}
