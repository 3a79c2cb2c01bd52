/**
 * pikehdl float network -> ONNX (opset 13), for Netron and ONNX Runtime.
 *
 * Each layer becomes the nodes an exporter would write for it, named so that
 * `pikehdl import` gives the same network back: the layer's main node (Conv,
 * Gemm, Add, AveragePool, GlobalAveragePool) carries the layer's name, and
 * batch norm, the activation and any Flatten follow it. Weights are moved into
 * ONNX's layouts (layout.ts, exact permutations). Tensors are FLOAT, so
 * parameters that are not fp32 values round (the result says how many);
 * `float64: true` writes DOUBLE tensors instead, exact for any network but
 * not runnable by ONNX Runtime's CPU/WASM kernels. The pikehdl fields ONNX has
 * no place for (bit widths, ranges, names) go into metadata_props
 * (annotations.ts).
 */
import { type FloatNetwork, DEFAULT_BN_EPSILON, inferShapes, type Activation } from '../model/index.ts';
import { ANNOTATION_KEY, makeAnnotations } from './annotations.ts';
import { convToOihw, denseToOnnx, depthwiseToOihw, shortestFp32Decimal } from './layout.ts';
import { DT, encodeModel, type EncodeNode, type EncodeTensor } from './proto.ts';
import { OnnxError } from './onnxError.ts';

export const EXPORT_OPSET = 13;

export interface ExportOptions {
  /** Write DOUBLE tensors (exact for any float64 parameter; ORT cannot run them). */
  readonly float64?: boolean;
}

export interface ExportResult {
  readonly bytes: Uint8Array;
  /** Parameters written. */
  readonly parameters: number;
  /** Parameters that changed when rounded to fp32 (0 with float64). */
  readonly rounded: number;
}

export function exportFloatOnnx(net: FloatNetwork, options: ExportOptions = {}): ExportResult {
  const shapes = inferShapes(net).layers;
  const dataType = options.float64 ? DT.DOUBLE : DT.FLOAT;
  const nodes: EncodeNode[] = [];
  const inits: EncodeTensor[] = [];
  let parameters = 0;
  let rounded = 0;
  const param = (name: string, dims: number[], values: readonly number[]): string => {
    parameters += values.length;
    if (!options.float64) for (const v of values) if (Math.fround(v) !== v) rounded++;
    inits.push({ name, dims, dataType, values });
    return name;
  };
  /** ONNX tensor of each layer's output and its rank (4: [1, C, H, W]; 2: [1, F]). */
  const tensors = new Map<string, { name: string; rank: 2 | 4 }>([['input', { name: 'input', rank: 4 }]]);
  const node = (opType: string, name: string, inputs: string[], outputs: string[], attributes?: EncodeNode['attributes']): void =>
    void nodes.push({ opType, name, inputs, outputs, ...(attributes ? { attributes } : {}) });

  net.layers.forEach((layer, i) => {
    const s = shapes[i]!;
    const n = layer.name;
    const prev = i === 0 ? 'input' : net.layers[i - 1]!.name;
    const src = tensors.get(layer.input ?? prev)!;
    const c = s.output.channels;
    /** A rank-4 view of the input (conv and pooling need one; a dense output is 1x1xF). */
    const as4 = (t: { name: string; rank: 2 | 4 }, tag: string): string => {
      if (t.rank === 4) return t.name;
      const shape = `${n}.${tag}_shape`;
      inits.push({ name: shape, dims: [4], dataType: DT.INT64, values: [1, t === src ? s.input.channels : c, 1, 1] });
      node('Reshape', `${n}/${tag}_reshape`, [t.name, shape], [`${n}.${tag}4d`]);
      return `${n}.${tag}4d`;
    };
    let cur: string;
    let rank: 2 | 4 = 4;
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d': {
        if (layer.weights === undefined) throw new OnnxError(`layer "${n}": has no weights: an architecture-only network cannot be exported`);
        const k = layer.kernel;
        const inC = s.input.channels;
        const w = layer.op === 'conv2d' ? param(`${n}.weight`, [c, inC, k, k], convToOihw(layer.weights, c, inC, k)) : param(`${n}.weight`, [c, 1, k, k], depthwiseToOihw(layer.weights, c, k));
        const ins = [as4(src, 'in'), w];
        if (layer.bias !== undefined) ins.push(param(`${n}.bias`, [c], layer.bias));
        const p = layer.padding ?? 0;
        const st = layer.stride ?? 1;
        cur = `${n}.conv`;
        node('Conv', n, ins, [cur], { dilations: [1, 1], group: layer.op === 'conv2d' ? 1 : c, kernel_shape: [k, k], pads: [p, p, p, p], strides: [st, st] });
        break;
      }
      case 'dense': {
        if (layer.weights === undefined) throw new OnnxError(`layer "${n}": has no weights: an architecture-only network cannot be exported`);
        const { channels: ic, height: ih, width: iw } = s.input;
        let x = src.name;
        if (src.rank === 4) {
          x = `${n}.flat`;
          node('Flatten', `${n}/flatten`, [src.name], [x], { axis: 1 });
        }
        const ins = [x, param(`${n}.weight`, [c, ic * ih * iw], denseToOnnx(layer.weights, c, ic, ih, iw))];
        if (layer.bias !== undefined) ins.push(param(`${n}.bias`, [c], layer.bias));
        cur = `${n}.gemm`;
        node('Gemm', n, ins, [cur], { transB: 1 });
        rank = 2;
        break;
      }
      case 'avgPool': {
        cur = `${n}.pool`;
        if (layer.kernel === 'global') node('GlobalAveragePool', n, [as4(src, 'in')], [cur]);
        else {
          const st = layer.stride ?? layer.kernel;
          const p = layer.padding ?? 0;
          // count_include_pad defaults to 0: padded positions are left out of the average, as in pikehdl.
          node('AveragePool', n, [as4(src, 'in')], [cur], { kernel_shape: [layer.kernel, layer.kernel], strides: [st, st], ...(p > 0 ? { pads: [p, p, p, p] } : {}) });
        }
        break;
      }
      case 'maxPool': {
        cur = `${n}.pool`;
        const st = layer.stride ?? layer.kernel;
        const p = layer.padding ?? 0;
        // ONNX pads MaxPool with -inf: padded positions never win, as in pikehdl.
        node('MaxPool', n, [as4(src, 'in')], [cur], { kernel_shape: [layer.kernel, layer.kernel], strides: [st, st], pads: [p, p, p, p] });
        break;
      }
      case 'add': {
        const other = tensors.get(layer.with)!;
        const both4 = src.rank === 4 || other.rank === 4;
        cur = `${n}.add`;
        node('Add', n, [both4 ? as4(src, 'in') : src.name, both4 ? as4(other, 'with') : other.name], [cur]);
        rank = both4 ? 4 : 2;
        break;
      }
    }
    const perC = (v: readonly number[]): [number[], readonly number[]] => [rank === 4 ? [c, 1, 1] : [c], v];
    if ((layer.op === 'conv2d' || layer.op === 'depthwiseConv2d' || layer.op === 'dense') && layer.batchNorm !== undefined) {
      const bn = layer.batchNorm;
      if (bn === true) throw new OnnxError(`layer "${n}": batchNorm is true (architecture-only): export needs the statistics`);
      const ins = [cur, param(`${n}.bn_scale`, [c], bn.gamma), param(`${n}.bn_bias`, [c], bn.beta), param(`${n}.bn_mean`, [c], bn.mean), param(`${n}.bn_var`, [c], bn.variance)];
      node('BatchNormalization', `${n}/bn`, ins, [`${n}.bn`], { epsilon: { float: bn.epsilon ?? DEFAULT_BN_EPSILON } });
      cur = `${n}.bn`;
    }
    const act: Activation | undefined = layer.op === 'avgPool' || layer.op === 'maxPool' ? undefined : layer.activation;
    if (act !== undefined && act.kind !== 'none') {
      const out = `${n}.act`;
      if (act.kind === 'relu') node('Relu', `${n}/relu`, [cur], [out]);
      else if (act.kind === 'relu6') {
        // ReLU6's bounds are constants of the op, not parameters of the network.
        inits.push({ name: `${n}.clip_min`, dims: [], dataType, values: [0] }, { name: `${n}.clip_max`, dims: [], dataType, values: [6] });
        node('Clip', `${n}/relu6`, [cur, `${n}.clip_min`, `${n}.clip_max`], [out]);
      } else {
        if (act.slopes === undefined) throw new OnnxError(`layer "${n}": PReLU has no slopes (architecture-only)`);
        const a0 = act.slopes[0]!;
        // One slope for every channel is a LeakyRelu; its fp32 alpha reads back as the shortest decimal (layout.ts).
        if (act.slopes.every((v) => v === a0) && shortestFp32Decimal(a0) === a0) {
          node('LeakyRelu', `${n}/leaky_relu`, [cur], [out], { alpha: { float: a0 } });
          tensors.set(n, { name: out, rank });
          return;
        }
        const [dims, v] = perC(act.slopes);
        node('PRelu', `${n}/prelu`, [cur, param(`${n}.prelu_slope`, dims, v)], [out]);
      }
      cur = out;
    }
    tensors.set(n, { name: cur, rank });
  });

  // The graph output gets a stable name.
  const last = net.layers[net.layers.length - 1]!;
  const lastT = tensors.get(last.name)!;
  const lastNode = nodes[nodes.length - 1]!;
  nodes[nodes.length - 1] = { ...lastNode, outputs: ['output'] };
  const o = shapes[shapes.length - 1]!.output;
  const bytes = encodeModel({
    graphName: net.name,
    opset: EXPORT_OPSET,
    input: { name: 'input', dims: [1, net.input.channels, net.input.height, net.input.width] },
    output: { name: 'output', dims: lastT.rank === 4 ? [1, o.channels, o.height, o.width] : [1, o.channels] },
    nodes,
    initializers: inits,
    metadata: new Map([[ANNOTATION_KEY, JSON.stringify(makeAnnotations(net))]]),
    elemType: dataType,
  });
  return { bytes, parameters, rounded };
}
