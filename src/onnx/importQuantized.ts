/**
 * A quantized ONNX graph (QDQ: QuantizeLinear/DequantizeLinear, or QONNX
 * `Quant` as Brevitas exports) -> pikehdl integer network, with the bit
 * widths and scales the graph declares.
 *
 * The graph's meaning, per conv/dense layer with input scale s_x, weight
 * scales s_w[c], bias b[c] and output scale s_y: y = s_x*s_w[c]*acc + b[c],
 * then the activation, then q = saturate(round(y / s_y)). pikehdl represents
 * that as a 'stages' requantizer with a float scale stage (docs/semantics.md,
 * "Stages left in floating point"): v = fp32(acc) * R[c] + O[c] with
 * R[c] = fp32(s_x*s_w[c]/s_y), O[c] = fp32(b[c]/s_y), rounded half to even
 * (as QuantizeLinear rounds) and clamped to the output's bounds (ReLU raises
 * the lower bound to 0, ReLU6 lowers the upper one to round(6/s_y)). The fp32
 * constants make it an approximation of the graph's real arithmetic within
 * fp32 rounding, as every integer runtime's is. A batch norm left between
 * the conv and its activation quantizer (Brevitas keeps it) becomes a float
 * norm stage before the scale stage.
 *
 * Not representable, and refused naming the node: non-zero zero points
 * (checked at import), weights outside the symmetric range (e.g. int8 -128),
 * unquantized tensors between quantized layers, and average pooling or a residual add that changes the scale where pikehdl
 * keeps it.
 */
import { accumulatorShape, maxOf, minOf, rangeOf, roundFloat } from '../arith/index.ts';
import {
  DEFAULT_BN_EPSILON, type FloatLayer, type IntLayer, type IntNetwork, type OutputSpec, type TensorSpec, INT_NETWORK_FORMAT, INT_NETWORK_VERSION, ModelError, inferShapes,
  tensorShape, validateIntNetwork, weightRange,
} from '../model/index.ts';
import type { ActQuant, ImportedGraph } from './importGraph.ts';
import { OnnxError } from './onnxError.ts';

const f32 = Math.fround;

const spec = (q: ActQuant): TensorSpec => ({ bits: q.bits, signed: q.signed, scale: q.scale });

function outputSpec(t: TensorSpec, activation: string | undefined, q?: ActQuant): OutputSpec {
  const s = tensorShape(t);
  let min = Math.max(Number(minOf(s)), q?.min ?? -Infinity);
  let max = Math.min(Number(maxOf(s)), q?.max ?? Infinity);
  if (activation === 'relu' || activation === 'relu6') min = Math.max(min, 0);
  if (activation === 'relu6') max = Math.min(max, roundFloat(6 / t.scale, 'rne'));
  return { ...t, min, max };
}

export function toIntNetwork(g: ImportedGraph, source: string): IntNetwork {
  const quant = g.quant;
  if (quant === undefined) throw new OnnxError(`${source}: the graph has no quantization nodes: import it as a float network and run pikehdl quantize`);
  const where = (name: string): string => `layer "${name}" (${g.origins.get(name) ?? '?'})`;
  if (quant.input === undefined) throw new OnnxError(`${source}: the network input is not quantized: a quantized graph needs a QuantizeLinear/DequantizeLinear pair or a Quant node on its input`);
  const shapes = inferShapes(g.float).layers;
  const tensors = new Map<string, TensorSpec>([['input', spec(quant.input)]]);
  const prevOf = (i: number): string => (i === 0 ? 'input' : g.float.layers[i - 1]!.name);
  const tensorOf = (name: string, reader: string): TensorSpec => {
    const t = tensors.get(name);
    if (t === undefined) throw new OnnxError(`${where(reader)}: reads "${name}", whose output is not quantized: every tensor between quantized layers needs a QuantizeLinear/DequantizeLinear pair or a Quant node`);
    return t;
  };
  const layers: IntLayer[] = g.float.layers.map((layer: FloatLayer, i): IntLayer => {
    const q = quant.layers.get(layer.name) ?? {};
    const s = shapes[i]!;
    const inputName = layer.input ?? prevOf(i);
    const inT = tensorOf(inputName, layer.name);
    const outQ = q.output;
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense': {
        const wq = q.weights;
        if (wq === undefined) throw new OnnxError(`${where(layer.name)}: has float weights in a quantized graph: quantize its weights (DequantizeLinear of integers, or a Quant node)`);
        if (outQ === undefined) throw new OnnxError(`${where(layer.name)}: its output is not quantized: add a QuantizeLinear/DequantizeLinear pair or a Quant node after its activation`);
        if (layer.batchNorm === true) throw new Error('toIntNetwork: architecture-only batch norm (bug)');
        const wr = weightRange(wq.bits);
        const bad = wq.ints.findIndex((v) => BigInt(v) < wr.lo || BigInt(v) > wr.hi || (wq.bits === 1 && v === 0));
        if (bad >= 0) throw new OnnxError(`${wq.node}: weight ${wq.ints[bad]} is outside the symmetric ${wq.bits}-bit range [${wr.lo}, ${wr.hi}] pikehdl uses (quantize with a narrow range)`);
        const C = s.output.channels;
        const sw = (c: number): number => (wq.scales.length === 1 ? wq.scales[0]! : wq.scales[c]!);
        const outT = spec(outQ);
        const acc = accumulatorShape(wr, rangeOf(tensorShape(inT)), s.reductionDepth);
        const act = layer.activation;
        const bn = layer.batchNorm;
        let stages;
        if (bn === undefined) {
          // v = fp32(acc) * R + O, R = s_x*s_w/s_y, O = bias/s_y.
          const multipliers = Array.from({ length: C }, (_, c) => f32((inT.scale * sw(c)) / outT.scale));
          const offsets = layer.bias?.map((b) => f32(b / outT.scale));
          stages = { scale: { arithmetic: 'float' as const, multipliers, ...(offsets ? { offsets } : {}) } };
        } else {
          // A batch norm left between the quantized conv and its activation quantizer (Brevitas keeps it):
          // a float norm stage then a float scale stage, as docs/semantics.md's conventional pipeline:
          // v = fp32(acc)*G + H with G = g, H = (g*(bias - mean) + beta)/s_c, then v*R with R = s_c/s_y
          // (g = gamma/sqrt(var + eps), s_c = s_x*s_w).
          const eps = bn.epsilon ?? DEFAULT_BN_EPSILON;
          const g = (c: number): number => bn.gamma[c]! / Math.sqrt(bn.variance[c]! + eps);
          const sc = (c: number): number => inT.scale * sw(c);
          stages = {
            norm: {
              arithmetic: 'float' as const,
              multipliers: Array.from({ length: C }, (_, c) => f32(g(c))),
              offsets: Array.from({ length: C }, (_, c) => f32((g(c) * ((layer.bias?.[c] ?? 0) - bn.mean[c]!) + bn.beta[c]!) / sc(c))),
            },
            scale: { arithmetic: 'float' as const, multipliers: Array.from({ length: C }, (_, c) => f32(sc(c) / outT.scale)) },
          };
        }
        const requant = {
          kind: 'stages' as const,
          rounding: 'rne' as const,
          shift: 0,
          ...stages,
          ...(act?.kind === 'prelu' ? { prelu: { arithmetic: 'float' as const, slopes: (act.slopes ?? []).map(f32) } } : {}),
        };
        const common = {
          name: layer.name,
          input: inputName,
          weights: [...wq.ints],
          weightBits: wq.bits,
          weightScales: [...wq.scales],
          accumulator: { width: acc.width, signed: acc.signed },
          requant,
          output: outputSpec(outT, act?.kind, outQ),
        };
        tensors.set(layer.name, outT);
        if (layer.op === 'dense') return { op: 'dense', outFeatures: layer.outFeatures, ...common };
        const conv = { kernel: layer.kernel, stride: layer.stride ?? 1, padding: layer.padding ?? 0 };
        return layer.op === 'conv2d' ? { op: 'conv2d', outChannels: layer.outChannels, ...common, ...conv } : { op: 'depthwiseConv2d', ...common, ...conv };
      }
      case 'avgPool': {
        if (outQ !== undefined && (outQ.scale !== inT.scale || outQ.bits !== inT.bits || outQ.signed !== inT.signed)) {
          throw new OnnxError(`${where(layer.name)}: requantizes to scale ${outQ.scale} (${outQ.node}) from ${inT.scale}: pikehdl's average pooling keeps its input's scale and width`);
        }
        tensors.set(layer.name, inT);
        return {
          op: 'avgPool', name: layer.name, input: inputName, kernel: layer.kernel,
          stride: layer.kernel === 'global' ? 1 : (layer.stride ?? layer.kernel), ...(layer.padding ? { padding: layer.padding } : {}), rounding: 'rne', output: outputSpec(inT, undefined),
        };
      }
      case 'maxPool': {
        if (outQ !== undefined && (outQ.scale !== inT.scale || outQ.bits !== inT.bits || outQ.signed !== inT.signed)) {
          throw new OnnxError(`${where(layer.name)}: requantizes to scale ${outQ.scale} (${outQ.node}) from ${inT.scale}: pikehdl's max pooling keeps its input's scale and width`);
        }
        tensors.set(layer.name, inT);
        return {
          op: 'maxPool', name: layer.name, input: inputName, kernel: layer.kernel,
          stride: layer.stride ?? layer.kernel, padding: layer.padding ?? 0, output: outputSpec(inT, undefined),
        };
      }
      case 'add': {
        if (outQ === undefined) throw new OnnxError(`${where(layer.name)}: its output is not quantized: add a QuantizeLinear/DequantizeLinear pair or a Quant node after it`);
        const withT = tensorOf(layer.with, layer.name);
        const outT = spec(outQ);
        tensors.set(layer.name, outT);
        const act = layer.activation;
        return {
          op: 'add', name: layer.name, input: inputName, with: layer.with,
          align: { arithmetic: 'float', multipliers: [f32(inT.scale / outT.scale), f32(withT.scale / outT.scale)] },
          ...(act?.kind === 'prelu' ? { prelu: { arithmetic: 'float' as const, slopes: (act.slopes ?? []).map(f32) } } : {}),
          output: outputSpec(outT, act?.kind, outQ),
        };
      }
    }
  });
  const net = {
    format: INT_NETWORK_FORMAT,
    version: INT_NETWORK_VERSION,
    name: g.float.name,
    recipe: { name: 'onnx-import', techniques: { quantNorm: false, doubleQuant: false, dhq: false } },
    input: { height: g.float.input.height, width: g.float.input.width, channels: g.float.input.channels, tensor: spec(quant.input) },
    layers,
  };
  try {
    return validateIntNetwork(net, source);
  } catch (err) {
    if (err instanceof ModelError) throw new OnnxError(`${source}: the imported integer network is invalid: ${err.issues.join('; ')}`);
    throw err;
  }
}
