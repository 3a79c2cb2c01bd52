/**
 * ONNX graph -> pikehdl float network (plus the quantization the graph
 * declares, for importQuantized.ts).
 *
 * One pass over the nodes in file order (ONNX requires topological order).
 * Every tensor name maps to a value: a constant (initializers, Constant and
 * the folded shape arithmetic) or an activation produced by a pikehdl layer.
 * A Conv, Gemm, MatMul, Add of two activations or a pooling op opens a layer;
 * the nodes after it that pikehdl folds into a layer (bias Add,
 * BatchNormalization, Relu/Clip/PRelu/LeakyRelu) are absorbed into that
 * layer when they read its current output and nothing else reads that output.
 * Anything else is refused with the node's name and op.
 */
import { roundFloat } from '../arith/index.ts';
import { DEFAULT_BN_EPSILON, type Activation, type BatchNormStats, type FloatLayer, type FloatNetwork, validateFloatNetwork, ModelError } from '../model/index.ts';
import { FOLDABLE_OPS, foldNode, resolveReshape } from './constFold.ts';
import { convFromOihw, denseFromOnnx, depthwiseFromOihw, shortestFp32Decimal } from './layout.ts';
import { OnnxError, nodeLabel } from './onnxError.ts';
import { DT, dataTypeName, type Attribute, type Model, type Node, type Tensor } from './proto.ts';
import { applyAnnotations, type Annotations } from './annotations.ts';
import { LAYOUT_OPS, channelAxis, convPads, isTranspose, perChannel, resolveInputDims, scalar, type Dims } from './importRules.ts';

/** Quantization of an activation tensor (QDQ pair or QONNX Quant): zero-point-free. */
export interface ActQuant {
  readonly bits: number;
  readonly signed: boolean;
  readonly scale: number;
  /** Integer bounds inside the `bits` range (a QCDQ Clip that is not a whole narrower range). */
  readonly min?: number;
  readonly max?: number;
  /** The node that declared it (for messages). */
  readonly node: string;
}

/** Quantized weights: integers in pikehdl's layout, scale per output channel (length 1 or C). */
export interface WeightQuant {
  readonly ints: readonly number[];
  readonly scales: readonly number[];
  readonly bits: number;
  readonly node: string;
}

export interface LayerQuant {
  input?: ActQuant;
  with?: ActQuant;
  weights?: WeightQuant;
  output?: ActQuant;
}

export interface ImportedGraph {
  readonly float: FloatNetwork;
  /** Present when the graph holds QuantizeLinear/DequantizeLinear or QONNX Quant nodes. */
  readonly quant?: { readonly input?: ActQuant; readonly layers: ReadonlyMap<string, LayerQuant> };
  /** Each layer's ONNX node label, for messages. */
  readonly origins: ReadonlyMap<string, string>;
}

export interface ImportOptions {
  /** Input shape [C, H, W] (or [1, C, H, W]) for graphs with dynamic dims. */
  readonly inputShape?: readonly number[];
  /** Name for the network when the graph has none. */
  readonly name?: string;
  /** Float range of the input values (pikehdl's default is [0, 1]); a quantized input declares its own. */
  readonly inputRange?: { readonly min: number; readonly max: number };
}

/** Ops that become layers or fold into them (on activations). */
export const SUPPORTED_OPS = [
  'Conv', 'BatchNormalization', 'Relu', 'Clip', 'PRelu', 'LeakyRelu', 'Add', 'GlobalAveragePool', 'ReduceMean', 'AveragePool', 'MaxPool',
  'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Gemm', 'MatMul', 'Identity', 'Dropout', 'Pad', 'Transpose', 'QuantizeLinear', 'DequantizeLinear', 'Quant',
] as const;

const supportedList = `supported: ${SUPPORTED_OPS.join(', ')}; on constants only (shape arithmetic): ${FOLDABLE_OPS.join(', ')}`;

interface ConstValue {
  readonly kind: 'const';
  readonly t: Tensor;
  /** Set when the constant came out of a DequantizeLinear/Quant of integers (weights). */
  readonly quant?: { readonly ints: Float64Array; readonly scales: Float64Array; readonly axis: number; readonly bits: number; readonly node: string };
  /** Integer bounds of a Clip on quantized integers (Brevitas' QCDQ: QuantizeLinear -> Clip -> DequantizeLinear). */
  readonly intBounds?: { readonly lo: number; readonly hi: number };
}

interface ActValue {
  readonly kind: 'act';
  /** Producing layer, or "input". */
  readonly layer: string;
  readonly dims: Dims;
  /** Rank 2 ([1, C*H*W] flattened in ONNX's C,H,W order) instead of rank 4. */
  readonly flat: boolean;
  /** NHWC order (tf2onnx's Transpose to [1, H, W, C]); for a flat tensor, flattened in H,W,C order. */
  readonly hwc?: boolean;
  /** Zero padding a Pad node put around it, to fold into the next Conv. */
  readonly pad: number;
  readonly quant?: ActQuant;
}

type Value = ConstValue | ActValue;

/** Stages of a layer under construction, in pikehdl's order (conv/dense -> bias -> batch norm -> activation). */
const STAGE = { raw: 0, bn: 2, act: 3, closed: 4 } as const;

interface Builder {
  name: string;
  op: FloatLayer['op'];
  origin: string;
  input: string;
  with?: string;
  outChannels?: number;
  outFeatures?: number;
  kernel?: number | 'global';
  stride?: number;
  padding?: number;
  weights?: number[];
  bias?: number[];
  batchNorm?: BatchNormStats;
  activation?: Activation;
  out: Dims;
  stage: number;
  /** The ONNX tensor that currently is this layer's output. */
  outTensor: string;
  quant: LayerQuant;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** ONNX node names like "/features/features.0/Conv" -> "features_features_0_Conv" (pikehdl names are identifiers). */
export function layerNameFor(raw: string, used: Set<string>): string {
  // torch names nest module paths: "/features/features.0/features.0.0/Conv" -> "features.0.0/Conv".
  const parts = raw.split('/').filter((p) => p !== '');
  const kept = parts.filter((p, i) => !(parts[i + 1]?.startsWith(`${p}.`) ?? false));
  let base = kept.join('_').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (base === '' || !/^[A-Za-z_]/.test(base)) base = `n_${base}`;
  if (base === 'input') base = 'input_layer';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  if (!IDENT.test(name)) throw new Error(`layerNameFor: "${name}" is not an identifier (bug)`);
  return name;
}

export function importGraph(model: Model, source: string, options: ImportOptions = {}, annotations?: Annotations): ImportedGraph {
  const values = new Map<string, Value>();
  const consumers = new Map<string, number>();
  for (const n of model.nodes) for (const i of n.inputs) if (i !== '') consumers.set(i, (consumers.get(i) ?? 0) + 1);
  for (const o of model.outputs) consumers.set(o.name, (consumers.get(o.name) ?? 0) + 1);
  for (const [name, t] of model.initializers) values.set(name, { kind: 'const', t });

  // The one real input (older files list initializers as inputs too).
  const realInputs = model.inputs.filter((i) => !model.initializers.has(i.name));
  if (realInputs.length !== 1) throw new OnnxError(`${source}: expected one graph input, found ${realInputs.length} (${realInputs.map((i) => `"${i.name}"`).join(', ')})`);
  const inInfo = realInputs[0]!;
  if (inInfo.elemType !== DT.FLOAT && inInfo.elemType !== DT.DOUBLE) throw new OnnxError(`${source}: input "${inInfo.name}" is ${dataTypeName(inInfo.elemType)}: only FLOAT (or DOUBLE) inputs are supported`);
  // Keras models through tf2onnx take NHWC input and transpose it to NCHW first.
  const inputUsers = model.nodes.filter((n) => n.inputs.includes(inInfo.name));
  const nhwcInput = inputUsers.length > 0 && inputUsers.every((n) => isTranspose(n, [0, 3, 1, 2]));
  const inDims = resolveInputDims(inInfo.name, inInfo.dims, options.inputShape, source, nhwcInput);
  values.set(inInfo.name, { kind: 'act', layer: 'input', dims: inDims.dims, flat: inDims.flat, pad: 0, ...(nhwcInput ? { hwc: true } : {}) });

  const builders: Builder[] = [];
  const byName = new Map<string, Builder>();
  const used = new Set<string>();
  let inputQuant: ActQuant | undefined;
  let quantized = false;
  /** QuantizeLinear outputs waiting for their DequantizeLinear. */
  const pendingQ = new Map<string, { act: ActValue; quant: ActQuant; inputName: string }>();

  for (const node of model.nodes) {
    const label = nodeLabel(node);
    const attr = (name: string): Attribute | undefined => node.attributes.get(name);
    const int = (name: string): number | undefined => {
      const a = attr(name);
      return a?.kind === 'int' ? a.value : undefined;
    };
    const ints = (name: string): readonly number[] | undefined => {
      const a = attr(name);
      return a?.kind === 'ints' ? a.value : undefined;
    };
    const float = (name: string): number | undefined => {
      const a = attr(name);
      return a?.kind === 'float' ? a.value : undefined;
    };
    const str = (name: string): string | undefined => {
      const a = attr(name);
      return a?.kind === 'string' ? a.value : undefined;
    };
    const allowAttrs = (...names: string[]): void => {
      for (const k of node.attributes.keys()) {
        if (!names.includes(k)) throw new OnnxError(`${label}: attribute "${k}" is not supported (supported: ${names.length ? names.join(', ') : 'none'})`);
      }
    };
    const get = (i: number): Value | undefined => {
      const name = node.inputs[i];
      if (name === undefined || name === '') return undefined;
      const v = values.get(name);
      if (v === undefined) throw new OnnxError(`${label}: input "${name}" is not produced by an earlier node (the graph is not in topological order, or an op before it was skipped)`);
      return v;
    };
    const act = (i: number): ActValue => {
      const v = get(i);
      if (v === undefined || v.kind !== 'act') throw new OnnxError(`${label}: input ${i} must be an activation tensor, not a constant`);
      if (v.hwc === true && !v.flat && !LAYOUT_OPS.includes(node.opType)) {
        throw new OnnxError(`${label}: reads an NHWC tensor: only Transpose back to NCHW or flattening before a classifier is supported on NHWC tensors`);
      }
      return v;
    };
    const cst = (i: number, what: string): ConstValue => {
      const v = get(i);
      if (v === undefined || v.kind !== 'const') throw new OnnxError(`${label}: ${what} must be a constant (an initializer or a folded Constant)`);
      return v;
    };
    const out = (v: Value, i = 0): void => void values.set(node.outputs[i]!, v);
    const noPad = (v: ActValue): void => {
      if (v.pad !== 0) throw new OnnxError(`${label}: reads a Pad output; only a Conv can absorb zero padding`);
    };

    /** The open layer this node can fold into: it reads the layer's current output, which nothing else reads. */
    const openLayer = (v: ActValue, input: string, maxStage: number, what: string): Builder => {
      const b = byName.get(v.layer);
      const reason =
        b === undefined ? 'the network input'
        : b.outTensor !== input || (consumers.get(input) ?? 0) !== 1 ? 'a tensor that other nodes also read'
        : b.stage > maxStage ? `layer "${b.name}" after its ${b.stage >= STAGE.closed ? 'quantization' : b.stage >= STAGE.act ? 'activation' : 'batch norm'}`
        : undefined;
      if (reason !== undefined || b === undefined) {
        throw new OnnxError(`${label}: ${what} must directly follow a Conv, Gemm/MatMul${what.includes('activation') ? ' or Add' : ''} whose output only it reads; here it follows ${reason}`);
      }
      if (!(b.op === 'conv2d' || b.op === 'depthwiseConv2d' || b.op === 'dense' || (b.op === 'add' && maxStage >= STAGE.act && what.includes('activation')))) {
        throw new OnnxError(`${label}: ${what} cannot follow ${b.op} layer "${b.name}" (${b.origin}): pikehdl folds it into a conv, dense${what.includes('activation') ? ' or add' : ''} layer`);
      }
      return b;
    };
    const advance = (b: Builder, stage: number): void => {
      b.stage = stage;
      b.outTensor = node.outputs[0]!;
      const src = values.get(node.inputs[0]!);
      out({ kind: 'act', layer: b.name, dims: b.out, flat: src?.kind === 'act' ? src.flat : false, pad: 0 });
    };
    const newLayer = (b: Omit<Builder, 'name' | 'origin' | 'stage' | 'outTensor' | 'quant'>, q: LayerQuant): Builder => {
      const layer: Builder = { ...b, name: layerNameFor(node.name, used), origin: label, stage: STAGE.raw, outTensor: node.outputs[0]!, quant: q };
      builders.push(layer);
      byName.set(layer.name, layer);
      return layer;
    };
    const setActivation = (v: ActValue, a: Activation, what: string): void => {
      const b = openLayer(v, node.inputs[0]!, STAGE.act, what);
      const prev = b.activation?.kind ?? 'none';
      let next: Activation;
      if (prev === 'none') next = a;
      else if ((prev === 'relu' || prev === 'relu6') && (a.kind === 'relu' || a.kind === 'relu6')) next = { kind: prev === 'relu6' || a.kind === 'relu6' ? 'relu6' : 'relu' };
      else throw new OnnxError(`${label}: ${a.kind} after ${prev} on layer "${b.name}" is not representable: a layer has one activation`);
      b.activation = next;
      advance(b, STAGE.act);
    };

    // Constant folding: every tensor input constant, and the op is pure arithmetic on shapes.
    const allConst = node.inputs.every((i) => i === '' || values.get(i)?.kind === 'const');
    if ((FOLDABLE_OPS as readonly string[]).includes(node.opType) && allConst && node.domain === '') {
      const ins = node.inputs.map((i) => {
        const v = i === '' ? undefined : values.get(i);
        return v?.kind === 'const' ? v.t : undefined;
      });
      const tensorAttr = (name: string): Tensor | undefined => {
        const a = attr(name);
        return a?.kind === 'tensor' ? a.value : undefined;
      };
      const first = node.inputs[0] ? values.get(node.inputs[0]) : undefined;
      const folded = foldNode(node, ins, { opset: model.opset, int, ints, tensorAttr });
      out(node.opType === 'Identity' && first?.kind === 'const' ? first : { kind: 'const', t: folded });
      continue;
    }

    switch (node.opType) {
      case 'Identity':
      case 'Dropout': {
        const v = act(0);
        if (node.opType === 'Dropout' && node.outputs.length > 1 && node.outputs[1] !== '' && (consumers.get(node.outputs[1]!) ?? 0) > 0) {
          throw new OnnxError(`${label}: its mask output is used; only inference-mode Dropout (a pass-through) is supported`);
        }
        out(v);
        const b = byName.get(v.layer);
        if (b !== undefined && b.outTensor === node.inputs[0] && (consumers.get(node.inputs[0]!) ?? 0) === 1) b.outTensor = node.outputs[0]!;
        break;
      }
      case 'Transpose': {
        allowAttrs('perm');
        const x = act(0);
        const perm = ints('perm') ?? [];
        if (!x.flat && x.hwc !== true && isTranspose(node, [0, 2, 3, 1])) out({ ...x, hwc: true });
        else if (!x.flat && x.hwc === true && isTranspose(node, [0, 3, 1, 2])) out({ ...x, hwc: false });
        else throw new OnnxError(`${label}: perm [${perm.join(', ')}] is not supported: only NCHW <-> NHWC ([0, 2, 3, 1] and [0, 3, 1, 2]) of a rank-4 tensor`);
        const b = byName.get(x.layer);
        if (b !== undefined && b.outTensor === node.inputs[0] && (consumers.get(node.inputs[0]!) ?? 0) === 1) b.outTensor = node.outputs[0]!;
        break;
      }
      case 'Shape': {
        const v = act(0);
        const dims = v.flat ? [1, v.dims.c * v.dims.h * v.dims.w] : v.hwc ? [1, v.dims.h, v.dims.w, v.dims.c] : [1, v.dims.c, v.dims.h, v.dims.w];
        out({ kind: 'const', t: { dims: [dims.length], dataType: DT.INT64, data: Float64Array.from(dims) } });
        break;
      }
      case 'Conv': {
        allowAttrs('auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides');
        const x = act(0);
        if (x.flat) throw new OnnxError(`${label}: input is a flattened (rank-2) tensor`);
        const wv = cst(1, 'the weight (input 1)');
        const w = wv.t;
        if (w.dims.length !== 4) throw new OnnxError(`${label}: weights have rank ${w.dims.length}: only 2-D convolutions (rank-4 weights) are supported`);
        const [o, iPerG, kh, kw] = [w.dims[0]!, w.dims[1]!, w.dims[2]!, w.dims[3]!];
        const ks = ints('kernel_shape');
        if (ks !== undefined && (ks[0] !== kh || ks[1] !== kw)) throw new OnnxError(`${label}: kernel_shape [${ks.join(', ')}] disagrees with the weights' [${kh}, ${kw}]`);
        if (wv.quant !== undefined && wv.quant.scales.length > 1 && wv.quant.axis !== 0) {
          throw new OnnxError(`${label}: weight scales along axis ${wv.quant.axis}: only per-tensor or per-output-channel (axis 0) scales are representable`);
        }
        if (kh !== kw) throw new OnnxError(`${label}: kernel ${kh}x${kw} is not square: pikehdl kernels are k x k`);
        const k = kh;
        const dil = ints('dilations') ?? [1, 1];
        if (dil.some((d) => d !== 1)) throw new OnnxError(`${label}: dilations [${dil.join(', ')}] are not supported (only 1)`);
        const st = ints('strides') ?? [1, 1];
        if (st[0] !== st[1]) throw new OnnxError(`${label}: strides [${st.join(', ')}] differ between height and width: pikehdl strides are square`);
        const stride = st[0]!;
        const pads = convPads(label, str('auto_pad') ?? 'NOTSET', ints('pads') ?? [0, 0, 0, 0], x.dims, k, stride);
        const padding = pads + x.pad;
        if (padding >= k) throw new OnnxError(`${label}: padding ${padding} is not below the kernel size ${k} (pikehdl's rule)`);
        const group = int('group') ?? 1;
        const c = x.dims.c;
        const outH = Math.floor((x.dims.h + 2 * padding - k) / stride) + 1;
        const outW = Math.floor((x.dims.w + 2 * padding - k) / stride) + 1;
        const bias = get(2) === undefined ? undefined : perChannel(cst(2, 'the bias (input 2)').t, o, label, 'bias');
        let layer: Builder;
        const q: LayerQuant = { ...(x.quant ? { input: x.quant } : {}) };
        if (group === 1) {
          if (iPerG !== c) throw new OnnxError(`${label}: weights expect ${iPerG} input channels, the input has ${c}`);
          if (wv.quant) q.weights = weightQuant(wv.quant, convFromOihw(wv.quant.ints, o, c, k), o, label);
          layer = newLayer({ op: 'conv2d', input: x.layer, outChannels: o, kernel: k, stride, padding, weights: convFromOihw(w.data, o, c, k), out: { c: o, h: outH, w: outW } }, q);
        } else if (group === c && iPerG === 1 && o === c) {
          if (wv.quant) q.weights = weightQuant(wv.quant, depthwiseFromOihw(wv.quant.ints, c, k), c, label);
          layer = newLayer({ op: 'depthwiseConv2d', input: x.layer, kernel: k, stride, padding, weights: depthwiseFromOihw(w.data, c, k), out: { c, h: outH, w: outW } }, q);
        } else {
          throw new OnnxError(`${label}: group ${group} with ${c} input and ${o} output channels is not supported: only standard (group 1) and depthwise (group = channels, multiplier 1) convolutions`);
        }
        if (bias !== undefined) layer.bias = bias;
        out({ kind: 'act', layer: layer.name, dims: layer.out, flat: false, pad: 0 });
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        if (node.opType === 'Gemm') allowAttrs('alpha', 'beta', 'transA', 'transB');
        const x = act(0);
        noPad(x);
        if (!x.flat && (x.dims.h !== 1 || x.dims.w !== 1)) throw new OnnxError(`${label}: input is a rank-4 ${x.dims.c}x${x.dims.h}x${x.dims.w} tensor: flatten it first (Flatten or Reshape)`);
        if ((int('transA') ?? 0) !== 0) throw new OnnxError(`${label}: transA = 1 is not supported`);
        const wv = cst(1, 'the weight (input 1)');
        const w = wv.t;
        const K = x.dims.c * x.dims.h * x.dims.w;
        // Columns in C,H,W order (ONNX's flatten of NCHW) need permuting; H,W,C order (flattened NHWC) is pikehdl's already.
        const [lc, lh, lw] = x.hwc === true ? [K, 1, 1] : [x.dims.c, x.dims.h, x.dims.w];
        const transposed = node.opType === 'MatMul' || (int('transB') ?? 0) === 0;
        if (w.dims.length !== 2) throw new OnnxError(`${label}: weights have rank ${w.dims.length}, expected 2`);
        const N = transposed ? w.dims[1]! : w.dims[0]!;
        if ((transposed ? w.dims[0] : w.dims[1]) !== K) throw new OnnxError(`${label}: weights [${w.dims.join(', ')}] do not match ${K} input features`);
        const alpha = float('alpha') ?? 1;
        const beta = float('beta') ?? 1;
        const q: LayerQuant = { ...(x.quant ? { input: x.quant } : {}) };
        if (wv.quant) {
          if (alpha !== 1) throw new OnnxError(`${label}: alpha ${alpha} with quantized weights is not supported (only 1)`);
          const perOut = wv.quant.scales.length > 1 && wv.quant.axis !== (transposed ? 1 : 0) ? 'bad' : 'ok';
          if (perOut === 'bad') throw new OnnxError(`${label}: weight scales are per input feature: only per-tensor or per-output-feature scales are representable`);
          q.weights = weightQuant(wv.quant, denseFromOnnx(wv.quant.ints, N, lc, lh, lw, transposed), N, label);
        }
        const weights = denseFromOnnx(w.data, N, lc, lh, lw, transposed).map((v) => (alpha === 1 ? v : v * alpha));
        const layer = newLayer({ op: 'dense', input: x.layer, outFeatures: N, weights, out: { c: N, h: 1, w: 1 } }, q);
        const cIn = get(2);
        if (node.opType === 'Gemm' && cIn !== undefined) {
          const b = perChannel(cst(2, 'C (input 2)').t, N, label, 'bias');
          layer.bias = b.map((v) => (beta === 1 ? v : v * beta));
        }
        out({ kind: 'act', layer: layer.name, dims: layer.out, flat: true, pad: 0 });
        break;
      }
      case 'Add': {
        allowAttrs();
        const a = get(0);
        const b = get(1);
        if (a?.kind === 'act' && b?.kind === 'act') {
          noPad(a);
          noPad(b);
          if (a.dims.c !== b.dims.c || a.dims.h !== b.dims.h || a.dims.w !== b.dims.w || a.flat !== b.flat || (a.hwc === true) !== (b.hwc === true)) {
            throw new OnnxError(`${label}: operands have different shapes (${a.dims.c}x${a.dims.h}x${a.dims.w} and ${b.dims.c}x${b.dims.h}x${b.dims.w}): add needs equal shapes`);
          }
          if (a.layer === 'input' && b.layer === 'input') throw new OnnxError(`${label}: adds the network input to itself`);
          const q: LayerQuant = { ...(a.quant ? { input: a.quant } : {}), ...(b.quant ? { with: b.quant } : {}) };
          const layer = newLayer({ op: 'add', input: a.layer, with: b.layer, out: a.dims }, q);
          out({ kind: 'act', layer: layer.name, dims: layer.out, flat: a.flat, pad: 0 });
          break;
        }
        // Activation + constant: a bias (before batch norm) or a shift of beta (after it).
        const [xv, cv, xi] = a?.kind === 'act' ? [a, b, 0] : [b, a, 1];
        if (xv?.kind !== 'act' || cv?.kind !== 'const') throw new OnnxError(`${label}: needs two activations (residual) or an activation and a constant (bias)`);
        const layer = openLayer(xv, node.inputs[xi]!, STAGE.bn, 'a bias Add');
        const add = perChannel(cv.t, layer.out.c, label, 'the added constant', xv.flat ? 2 : 4);
        if (layer.batchNorm !== undefined) layer.batchNorm = { ...layer.batchNorm, beta: layer.batchNorm.beta.map((v, i) => v + add[i]!) };
        else layer.bias = layer.bias ? layer.bias.map((v, i) => v + add[i]!) : add;
        layer.stage = layer.batchNorm !== undefined ? STAGE.bn : STAGE.raw;
        layer.outTensor = node.outputs[0]!;
        out({ ...xv, layer: layer.name });
        break;
      }
      case 'BatchNormalization': {
        allowAttrs('epsilon', 'momentum', 'training_mode', 'spatial');
        if ((int('training_mode') ?? 0) !== 0 || node.outputs.filter((o) => o !== '').length > 1) throw new OnnxError(`${label}: training mode is not supported: export the model in eval mode`);
        const x = act(0);
        const layer = openLayer(x, node.inputs[0]!, STAGE.raw, 'BatchNormalization');
        const C = layer.out.c;
        const vec = (i: number, what: string): number[] => perChannel(cst(i, what).t, C, label, what);
        layer.batchNorm = {
          gamma: vec(1, 'scale'),
          beta: vec(2, 'B'),
          mean: vec(3, 'input_mean'),
          variance: vec(4, 'input_var'),
          epsilon: shortestFp32Decimal(float('epsilon') ?? DEFAULT_BN_EPSILON),
        };
        advance(layer, STAGE.bn);
        break;
      }
      case 'Relu':
        allowAttrs();
        setActivation(act(0), { kind: 'relu' }, 'an activation (Relu)');
        break;
      case 'Clip': {
        allowAttrs('min', 'max');
        const bound = (i: number, what: string, dflt: number): number => (model.opset >= 11 ? (get(i) === undefined ? dflt : scalar(cst(i, what).t, label, what)) : (float(what) ?? dflt));
        const pending = pendingQ.get(node.inputs[0]!);
        const cin = get(0);
        if (pending !== undefined || (cin?.kind === 'const' && cin.t.dataType !== DT.FLOAT && cin.t.dataType !== DT.DOUBLE)) {
          // QCDQ: a Clip on quantized integers narrows them to fewer bits.
          const lo = bound(1, 'min', -Infinity);
          const hi = bound(2, 'max', Infinity);
          if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) throw new OnnxError(`${label}: integer bounds [${lo}, ${hi}] are not integers with min <= max`);
          if (pending !== undefined) {
            pendingQ.set(node.outputs[0]!, { ...pending, quant: narrowed(pending.quant, lo, hi, label) });
            out(pending.act);
          } else if (cin?.kind === 'const') {
            out({ kind: 'const', t: { ...cin.t, data: cin.t.data.map((v) => Math.min(hi, Math.max(lo, v))) }, intBounds: { lo, hi } });
          }
          break;
        }
        const x = act(0);
        let lo = model.opset >= 11 ? (get(1) === undefined ? -Infinity : scalar(cst(1, 'min').t, label, 'min')) : (float('min') ?? -Infinity);
        const hi = model.opset >= 11 ? (get(2) === undefined ? Infinity : scalar(cst(2, 'max').t, label, 'max')) : (float('max') ?? Infinity);
        // After a ReLU the values are >= 0 already, so any lower bound <= 0 is 0 (torch's opset-9 ReLU6 is Relu + Clip(max = 6)).
        const prevAct = byName.get(x.layer)?.activation?.kind;
        if (lo < 0 && (prevAct === 'relu' || prevAct === 'relu6')) lo = 0;
        if (lo === 0 && hi === 6) setActivation(x, { kind: 'relu6' }, 'an activation (Clip)');
        else if (lo === 0 && hi === Infinity) setActivation(x, { kind: 'relu' }, 'an activation (Clip)');
        else throw new OnnxError(`${label}: Clip to [${lo}, ${hi}] is not representable: pikehdl activations are ReLU [0, inf) and ReLU6 [0, 6]`);
        break;
      }
      case 'PRelu': {
        allowAttrs();
        const x = act(0);
        const s = cst(1, 'the slope (input 1)').t;
        const slopes = perChannel(s, x.dims.c, label, 'slope', x.flat ? 2 : 4);
        setActivation(x, { kind: 'prelu', slopes }, 'an activation (PRelu)');
        break;
      }
      case 'LeakyRelu': {
        allowAttrs('alpha');
        const x = act(0);
        const alpha = shortestFp32Decimal(float('alpha') ?? 0.01);
        setActivation(x, { kind: 'prelu', slopes: new Array<number>(x.dims.c).fill(alpha) }, 'an activation (LeakyRelu)');
        break;
      }
      case 'GlobalAveragePool':
      case 'ReduceMean': {
        const x = act(0);
        noPad(x);
        let keep = 1;
        if (node.opType === 'ReduceMean') {
          allowAttrs('axes', 'keepdims', 'noop_with_empty_axes');
          const axes = model.opset >= 18 && get(1) !== undefined ? Array.from(cst(1, 'axes').t.data) : ints('axes');
          const norm = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
          // Height and width are axes 2 and 3 in NCHW, 1 and 2 in NHWC (Keras' GlobalAveragePooling2D through tf2onnx).
          const [h, w] = x.hwc === true ? [1, 2] : [2, 3];
          if (x.flat || norm.length !== 2 || norm[0] !== h || norm[1] !== w) {
            throw new OnnxError(`${label}: ReduceMean over axes [${(axes ?? []).join(', ')}] is not supported: only over height and width ([${h}, ${w}]) of a rank-4 ${x.hwc === true ? 'NHWC' : 'NCHW'} tensor`);
          }
          keep = int('keepdims') ?? 1;
        } else allowAttrs();
        if (x.flat) throw new OnnxError(`${label}: input is a flattened (rank-2) tensor`);
        const layer = newLayer({ op: 'avgPool', input: x.layer, kernel: 'global', out: { c: x.dims.c, h: 1, w: 1 } }, x.quant ? { input: x.quant } : {});
        out({ kind: 'act', layer: layer.name, dims: layer.out, flat: keep === 0, pad: 0, ...(x.hwc === true ? { hwc: true } : {}) });
        break;
      }
      case 'AveragePool': {
        allowAttrs('auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides');
        const x = act(0);
        if (x.flat) throw new OnnxError(`${label}: input is a flattened (rank-2) tensor`);
        const ks = ints('kernel_shape') ?? [];
        if (ks.length !== 2 || ks[0] !== ks[1]) throw new OnnxError(`${label}: kernel_shape [${ks.join(', ')}] is not square: pikehdl pools k x k`);
        const k = ks[0]!;
        const st = ints('strides') ?? [1, 1];
        if (st[0] !== st[1]) throw new OnnxError(`${label}: strides [${st.join(', ')}] are not square`);
        const stride = st[0]!;
        // A Pad node's zeros would count in the average: pikehdl leaves padded positions out (count_include_pad = 0).
        if (x.pad !== 0) throw new OnnxError(`${label}: a Pad node before AveragePool pads with zeros that count in the average: put the padding in AveragePool's pads (count_include_pad = 0)`);
        const padding = convPads(label, str('auto_pad') ?? 'NOTSET', ints('pads') ?? [0, 0, 0, 0], x.dims, k, stride);
        if (padding !== 0 && (int('count_include_pad') ?? 0) !== 0) {
          throw new OnnxError(`${label}: count_include_pad = 1 is not supported: pikehdl's padded average leaves padded positions out of the divisor`);
        }
        if (padding >= k) throw new OnnxError(`${label}: padding ${padding} is not below the kernel size ${k} (pikehdl's rule)`);
        const outH = Math.floor((x.dims.h + 2 * padding - k) / stride) + 1;
        const outW = Math.floor((x.dims.w + 2 * padding - k) / stride) + 1;
        if ((int('ceil_mode') ?? 0) !== 0 && (Math.ceil((x.dims.h + 2 * padding - k) / stride) + 1 !== outH || Math.ceil((x.dims.w + 2 * padding - k) / stride) + 1 !== outW)) {
          throw new OnnxError(`${label}: ceil_mode = 1 changes the output size here; pikehdl pools with floor`);
        }
        if (outH < 1 || outW < 1) throw new OnnxError(`${label}: kernel ${k} is larger than the ${x.dims.h}x${x.dims.w} input`);
        const layer = newLayer({ op: 'avgPool', input: x.layer, kernel: k, stride, padding, out: { c: x.dims.c, h: outH, w: outW } }, x.quant ? { input: x.quant } : {});
        out({ kind: 'act', layer: layer.name, dims: layer.out, flat: false, pad: 0 });
        break;
      }
      case 'Pad': {
        allowAttrs('mode', 'pads', 'value');
        const x = act(0);
        const mode = str('mode') ?? 'constant';
        const pads = model.opset >= 11 ? Array.from(cst(1, 'pads').t.data) : [...(ints('pads') ?? [])];
        const value = model.opset >= 11 ? (get(2) === undefined ? 0 : scalar(cst(2, 'constant_value').t, label, 'constant_value')) : (float('value') ?? 0);
        if (pads.length !== 8 || pads[0] !== 0 || pads[1] !== 0 || pads[4] !== 0 || pads[5] !== 0) throw new OnnxError(`${label}: only padding of height and width is supported (pads [${pads.join(', ')}])`);
        const p = pads[2]!;
        if (pads[3] !== p || pads[6] !== p || pads[7] !== p) throw new OnnxError(`${label}: asymmetric padding [${pads.join(', ')}] is not representable: pikehdl pads equally on every side`);
        if (p !== 0 && (mode !== 'constant' || value !== 0)) throw new OnnxError(`${label}: only zero padding (mode "constant", value 0) is supported`);
        out({ ...x, pad: x.pad + p });
        break;
      }
      case 'Flatten':
      case 'Reshape':
      case 'Squeeze':
      case 'Unsqueeze': {
        const x = act(0);
        noPad(x);
        const total = x.dims.c * x.dims.h * x.dims.w;
        const from = x.flat ? [1, total] : x.hwc ? [1, x.dims.h, x.dims.w, x.dims.c] : [1, x.dims.c, x.dims.h, x.dims.w];
        let to: number[];
        if (node.opType === 'Flatten') {
          allowAttrs('axis');
          const axis = int('axis') ?? 1;
          if (axis !== 1) throw new OnnxError(`${label}: axis ${axis} is not supported (only 1: keep the batch)`);
          to = [1, total];
        } else if (node.opType === 'Reshape') {
          allowAttrs('allowzero');
          to = resolveReshape(from, Array.from(cst(1, 'the shape (input 1)').t.data), node);
        } else {
          allowAttrs('axes');
          const axesIn = model.opset >= 13 ? (get(1) ? Array.from(cst(1, 'axes').t.data) : undefined) : ints('axes');
          if (node.opType === 'Squeeze') {
            const set = new Set((axesIn ?? from.flatMap((d, i) => (d === 1 && i > 0 ? [i] : []))).map((a) => (a < 0 ? a + from.length : a)));
            if (set.has(0)) throw new OnnxError(`${label}: squeezes the batch axis`);
            to = from.filter((_, i) => !set.has(i));
          } else {
            if (axesIn === undefined) throw new OnnxError(`${label}: axes are missing`);
            const rank = from.length + axesIn.length;
            const set = new Set(axesIn.map((a) => (a < 0 ? a + rank : a)));
            to = [];
            let j = 0;
            for (let d = 0; d < rank; d++) to.push(set.has(d) ? 1 : from[j++]!);
          }
        }
        if (to.length === 2 && to[0] === 1 && to[1] === total) out({ ...x, flat: true });
        else if (to.length === 4 && to[0] === 1 && to[1] === x.dims.c && to[2] === x.dims.h && to[3] === x.dims.w && x.hwc !== true && (!x.flat || (x.dims.h === 1 && x.dims.w === 1))) out({ ...x, flat: false });
        else throw new OnnxError(`${label}: reshapes [${from.join(', ')}] to [${to.join(', ')}]: only flattening to [1, ${total}] before a classifier (and its inverse for 1x1 maps) is supported`);
        const b = byName.get(x.layer);
        if (b !== undefined && b.outTensor === node.inputs[0] && (consumers.get(node.inputs[0]!) ?? 0) === 1) b.outTensor = node.outputs[0]!;
        break;
      }
      case 'QuantizeLinear':
      case 'DequantizeLinear':
      case 'Quant': {
        quantized = true;
        handleQuant(node, label);
        break;
      }
      case 'MaxPool': {
        allowAttrs('auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides');
        if (node.outputs.length > 1 && node.outputs[1] !== '') throw new OnnxError(`${label}: the Indices output is not supported: pikehdl's maxPool yields the values only`);
        const x = act(0);
        if (x.flat) throw new OnnxError(`${label}: input is a flattened (rank-2) tensor`);
        // A Pad node before it pads with zeros, which can win a max over negative values; ONNX's own pads are -inf.
        if (x.pad !== 0) throw new OnnxError(`${label}: a Pad node before MaxPool pads with zeros, which are not representable: pikehdl's maxPool padding never wins (put the padding in MaxPool's pads)`);
        const ks = ints('kernel_shape') ?? [];
        if (ks.length !== 2 || ks[0] !== ks[1]) throw new OnnxError(`${label}: kernel_shape [${ks.join(', ')}] is not square: pikehdl pools k x k`);
        const k = ks[0]!;
        const dil = ints('dilations') ?? [1, 1];
        if (dil.some((d) => d !== 1)) throw new OnnxError(`${label}: dilations [${dil.join(', ')}] are not supported (only 1)`);
        const st = ints('strides') ?? [1, 1];
        if (st[0] !== st[1]) throw new OnnxError(`${label}: strides [${st.join(', ')}] are not square`);
        const stride = st[0]!;
        const padding = convPads(label, str('auto_pad') ?? 'NOTSET', ints('pads') ?? [0, 0, 0, 0], x.dims, k, stride);
        if (padding >= k) throw new OnnxError(`${label}: padding ${padding} is not below the kernel size ${k} (pikehdl's rule)`);
        const outH = Math.floor((x.dims.h + 2 * padding - k) / stride) + 1;
        const outW = Math.floor((x.dims.w + 2 * padding - k) / stride) + 1;
        if ((int('ceil_mode') ?? 0) !== 0 && (Math.ceil((x.dims.h + 2 * padding - k) / stride) + 1 !== outH || Math.ceil((x.dims.w + 2 * padding - k) / stride) + 1 !== outW)) {
          throw new OnnxError(`${label}: ceil_mode = 1 changes the output size here; pikehdl pools with floor`);
        }
        if (outH < 1 || outW < 1) throw new OnnxError(`${label}: kernel ${k} is larger than the padded ${x.dims.h}x${x.dims.w} input`);
        const layer = newLayer({ op: 'maxPool', input: x.layer, kernel: k, stride, padding, out: { c: x.dims.c, h: outH, w: outW } }, x.quant ? { input: x.quant } : {});
        out({ kind: 'act', layer: layer.name, dims: layer.out, flat: false, pad: 0 });
        break;
      }
      default:
        if ((FOLDABLE_OPS as readonly string[]).includes(node.opType) && node.domain === '') {
          throw new OnnxError(
            `${label}: ${node.opType} on an activation tensor is not supported: pikehdl folds it on constants only (shape arithmetic); move input scaling or normalisation out of the graph, or into the first layer's weights`,
          );
        }
        throw new OnnxError(`${label}: op ${node.domain ? `${node.domain}.` : ''}${node.opType} is not supported (${supportedList})`);
    }

    /** QuantizeLinear/DequantizeLinear pairs and QONNX Quant nodes. */
    function handleQuant(n: Node, l: string): void {
      const pending = n.opType === 'DequantizeLinear' ? pendingQ.get(n.inputs[0]!) : undefined;
      const x = pending ? pending.act : get(0);
      const scaleT = cst(1, 'the scale (input 1)').t;
      const zp = get(2);
      if (zp !== undefined && (zp.kind !== 'const' || zp.t.data.some((v) => v !== 0))) {
        throw new OnnxError(`${l}: zero point is not 0: pikehdl tensors are zero-point-free (symmetric, or unsigned after a ReLU)`);
      }
      if (scaleT.data.some((s) => !(s > 0) || !Number.isFinite(s))) throw new OnnxError(`${l}: scales must be positive and finite`);
      if (n.opType === 'Quant') {
        // QONNX: Quant(x, scale, zeropt, bitwidth) = scale * (clamp(round(x / scale)) - zeropt), a fake quantizer.
        allowAttrs('signed', 'narrow', 'rounding_mode');
        const bits = scalar(cst(3, 'the bit width (input 3)').t, l, 'bit width');
        if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new OnnxError(`${l}: bit width ${bits} is not an integer from 1 to 16`);
        const signed = (int('signed') ?? 1) === 1;
        const narrow = (int('narrow') ?? 0) === 1;
        const mode = (str('rounding_mode') ?? 'ROUND').toUpperCase();
        if (mode !== 'ROUND' && mode !== 'ROUND_TO_ZERO' && mode !== 'FLOOR' && mode !== 'CEIL') throw new OnnxError(`${l}: rounding_mode "${mode}" is not supported`);
        const lo = signed ? -(2 ** (bits - 1)) + (narrow ? 1 : 0) : 0;
        const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1 - (narrow ? 1 : 0);
        if (x?.kind === 'const') {
          if (!signed) throw new OnnxError(`${l}: unsigned weights are not representable: pikehdl weights are symmetric signed`);
          const round = mode === 'ROUND' ? (v: number): number => roundFloat(v, 'rne') : mode === 'FLOOR' ? Math.floor : mode === 'CEIL' ? Math.ceil : Math.trunc;
          const axis = scaleT.data.length > 1 ? channelAxis(x.t.dims, scaleT.dims, l) : 0;
          const inner = x.t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
          const C = x.t.dims[axis] ?? 1;
          const sc = (i: number): number => (scaleT.data.length === 1 ? scaleT.data[0]! : scaleT.data[Math.floor(i / inner) % C]!);
          const ints = x.t.data.map((v, i) => Math.min(hi, Math.max(lo, round(v / sc(i)))));
          const deq = ints.map((q, i) => Math.fround(q * sc(i)));
          out({ kind: 'const', t: { dims: x.t.dims, dataType: DT.FLOAT, data: deq }, quant: { ints, scales: scaleT.data, axis, bits, node: l } });
        } else if (x?.kind === 'act') {
          if (scaleT.data.length !== 1) throw new OnnxError(`${l}: per-channel activation scales are not representable (one scale per tensor)`);
          if (narrow && signed) throw new OnnxError(`${l}: narrow-range signed activations are not representable`);
          quantizeAct(x, { bits, signed, scale: scaleT.data[0]!, node: l });
        } else throw new OnnxError(`${l}: input 0 is missing`);
        return;
      }
      allowAttrs('axis', 'saturate');
      if (n.opType === 'QuantizeLinear') {
        const zt = zp?.kind === 'const' ? zp.t.dataType : DT.UINT8;
        if (zt !== DT.UINT8 && zt !== DT.INT8) throw new OnnxError(`${l}: ${dataTypeName(zt)} containers are not supported (UINT8 or INT8)`);
        if (x?.kind === 'const') {
          // Float weights quantized in the graph (Brevitas' QCDQ export): fold to the integers, saturated to the container.
          const t = x.t;
          const axisAttr = int('axis') ?? 1;
          const axis = scaleT.data.length > 1 ? (axisAttr < 0 ? axisAttr + t.dims.length : axisAttr) : 0;
          const inner = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
          const C = t.dims[axis] ?? 1;
          if (scaleT.data.length > 1 && scaleT.data.length !== C) throw new OnnxError(`${l}: ${scaleT.data.length} scales for axis ${axis} of size ${C}`);
          const [qlo, qhi] = zt === DT.INT8 ? [-128, 127] : [0, 255];
          const sc = (i: number): number => (scaleT.data.length === 1 ? scaleT.data[0]! : scaleT.data[Math.floor(i / inner) % C]!);
          out({ kind: 'const', t: { dims: t.dims, dataType: zt, data: t.data.map((v, i) => Math.min(qhi, Math.max(qlo, roundFloat(v / sc(i), 'rne')))) } });
          return;
        }
        const a = x?.kind === 'act' ? x : undefined;
        if (a === undefined) throw new OnnxError(`${l}: input 0 is missing`);
        if (scaleT.data.length !== 1) throw new OnnxError(`${l}: per-channel activation scales are not representable (one scale per tensor)`);
        // The pair is completed by the DequantizeLinear that reads this output: record a pending quantized value.
        pendingQ.set(n.outputs[0]!, { act: a, quant: { bits: 8, signed: zt === DT.INT8, scale: scaleT.data[0]!, node: l }, inputName: n.inputs[0]! });
        out(a);
        return;
      }
      // DequantizeLinear
      const qname = n.inputs[0]!;
      if (pending !== undefined) {
        if (scaleT.data.length !== 1 || scaleT.data[0] !== pending.quant.scale) throw new OnnxError(`${l}: scale differs from its QuantizeLinear's (${pending.quant.node})`);
        quantizeAct(pending.act, pending.quant, pending.inputName);
        return;
      }
      if (x?.kind !== 'const') throw new OnnxError(`${l}: dequantizes "${qname}", which is neither a QuantizeLinear output nor a constant`);
      const t = x.t;
      if (t.dataType === DT.INT32) {
        // An int32 bias (one scale, or one per element): the float layer keeps it dequantized.
        const s = scaleT.data;
        if (s.length !== 1 && s.length !== t.data.length) throw new OnnxError(`${l}: ${s.length} scales for ${t.data.length} bias values`);
        out({ kind: 'const', t: { dims: t.dims, dataType: DT.FLOAT, data: t.data.map((v, i) => Math.fround(v * (s.length === 1 ? s[0]! : s[i]!))) } });
        return;
      }
      if (t.dataType !== DT.INT8 && t.dataType !== DT.UINT8) throw new OnnxError(`${l}: ${dataTypeName(t.dataType)} weights are not supported (INT8)`);
      if (t.dataType === DT.UINT8) throw new OnnxError(`${l}: unsigned weights are not representable: pikehdl weights are symmetric signed`);
      const axisAttr = int('axis') ?? 1;
      const axis = scaleT.data.length > 1 ? (axisAttr < 0 ? axisAttr + t.dims.length : axisAttr) : 0;
      const inner = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
      const C = t.dims[axis] ?? 1;
      if (scaleT.data.length > 1 && scaleT.data.length !== C) throw new OnnxError(`${l}: ${scaleT.data.length} scales for axis ${axis} of size ${C}`);
      const sc = (i: number): number => (scaleT.data.length === 1 ? scaleT.data[0]! : scaleT.data[Math.floor(i / inner) % C]!);
      const deq = t.data.map((q, i) => Math.fround(q * sc(i)));
      // Declared width: 8 bits, or what a QCDQ Clip narrowed the integers to ([-m, m] or [-m-1, m], m = 2^(b-1) - 1).
      const ib = x.intBounds;
      const bits = ib === undefined ? 8 : Math.max(1, Math.ceil(Math.log2(Math.max(ib.hi + 1, -ib.lo))) + 1);
      out({ kind: 'const', t: { dims: t.dims, dataType: DT.FLOAT, data: deq }, quant: { ints: t.data, scales: scaleT.data, axis, bits, node: l } });
    }

    /** An activation quantized to `q`: attach it to the producing layer (or the input) and close that layer. */
    function quantizeAct(x: ActValue, q: ActQuant, inputName = node.inputs[0]!): void {
      noPad(x);
      if (x.layer === 'input') {
        if (q.min !== undefined || q.max !== undefined) throw new OnnxError(`${q.node}: clips the network input inside its ${q.bits}-bit range: pikehdl's input tensor uses its whole range`);
      if (inputQuant !== undefined && (inputQuant.scale !== q.scale || inputQuant.bits !== q.bits || inputQuant.signed !== q.signed)) {
          throw new OnnxError(`${q.node}: quantizes the network input a second way (first ${inputQuant.node})`);
        }
        inputQuant = q;
      } else {
        const b = byName.get(x.layer)!;
        if (b.quant.output !== undefined && (b.quant.output.scale !== q.scale || b.quant.output.bits !== q.bits || b.quant.output.signed !== q.signed)) {
          throw new OnnxError(`${q.node}: quantizes the output of layer "${b.name}" a second way (first ${b.quant.output.node})`);
        }
        b.quant.output = q;
        if (b.outTensor === inputName && (consumers.get(inputName) ?? 0) === 1) b.outTensor = node.outputs[0]!;
        b.stage = STAGE.closed;
      }
      out({ ...x, quant: q });
    }
  }

  // Graph output: one tensor. Its layer becomes the network's last; layers after it
  // in file order cannot feed it and are dropped, earlier ones are kept (as in the file).
  if (model.outputs.length !== 1) throw new OnnxError(`${source}: expected one graph output, found ${model.outputs.length}`);
  const outName = model.outputs[0]!.name;
  const ov = values.get(outName);
  if (ov === undefined || ov.kind !== 'act' || ov.layer === 'input') throw new OnnxError(`${source}: output "${outName}" is not computed by a layer`);
  const last = byName.get(ov.layer)!;
  if (last.outTensor !== outName) throw new OnnxError(`${source}: output "${outName}" is an intermediate value of layer "${last.name}"`);
  const kept = builders.slice(0, builders.indexOf(last) + 1);
  const layers = kept.map((b, i) => finishLayer(b, i === 0 ? 'input' : kept[i - 1]!.name));
  // torch names every graph "torch_jit" and tf2onnx often "main_graph": the file's name says more.
  const stem = source.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  const generic = model.graphName === '' || model.graphName === 'torch_jit' || model.graphName === 'main_graph';
  // The name is printed and stored: keep it free of control characters.
  const netName = (options.name ?? (generic ? stem : model.graphName)).replace(/[\u0000-\u001f\u007f]/g, '_');
  const raw = {
    format: 'pikehdl-float-network',
    version: 1,
    name: netName,
    input: { height: inDims.dims.h, width: inDims.dims.w, channels: inDims.dims.c, ...inputRangeOf(options.inputRange, inputQuant) },
    layers,
  };
  const annotated = annotations ? applyAnnotations(raw, annotations) : raw;
  let float: FloatNetwork;
  try {
    float = validateFloatNetwork(annotated, source);
  } catch (err) {
    if (err instanceof ModelError) throw new OnnxError(`${source}: the imported network is invalid: ${err.issues.join('; ')}`);
    throw err;
  }
  const origins = new Map(kept.map((b) => [b.name, b.origin]));
  if (!quantized) return { float, origins };
  return { float, origins, quant: { ...(inputQuant ? { input: inputQuant } : {}), layers: new Map(kept.map((b) => [b.name, b.quant])) } };
}

function weightQuant(q: NonNullable<ConstValue['quant']>, ints: number[], outC: number, label: string): WeightQuant {
  if (q.scales.length !== 1 && q.scales.length !== outC) throw new OnnxError(`${label}: ${q.scales.length} weight scales for ${outC} output channels`);
  return { ints, scales: Array.from(q.scales), bits: q.bits, node: q.node };
}

/**
 * An activation quantizer narrowed by a QCDQ Clip to integers [lo, hi]: a
 * whole narrower range ([0, 2^b - 1] unsigned, [-2^(b-1), 2^(b-1) - 1] or
 * its narrow form signed) becomes b bits; other bounds stay as min/max inside
 * the container.
 */
function narrowed(q: ActQuant, lo: number, hi: number, label: string): ActQuant {
  const cLo = q.signed ? -(2 ** (q.bits - 1)) : 0;
  const cHi = q.signed ? 2 ** (q.bits - 1) - 1 : 2 ** q.bits - 1;
  const min = Math.max(cLo, lo);
  const max = Math.min(cHi, hi);
  if (min > max) throw new OnnxError(`${label}: integer bounds [${lo}, ${hi}] leave nothing of the ${q.signed ? 'signed' : 'unsigned'} ${q.bits}-bit range`);
  for (let b = 1; b <= q.bits; b++) {
    const bLo = q.signed ? -(2 ** (b - 1)) : 0;
    const bHi = q.signed ? 2 ** (b - 1) - 1 : 2 ** b - 1;
    if (max === bHi && (min === bLo || (q.signed && min === -bHi))) return { ...q, bits: b, ...(min !== bLo ? { min } : {}) };
  }
  return { ...q, min, max };
}

/** The input's float range: given, or what a quantized input can hold (scale times its integer range). */
function inputRangeOf(given: ImportOptions['inputRange'], q: ActQuant | undefined): { range?: { min: number; max: number } } {
  if (given !== undefined) return { range: { min: given.min, max: given.max } };
  if (q === undefined) return {};
  const lo = q.signed ? -(2 ** (q.bits - 1)) : 0;
  const hi = q.signed ? 2 ** (q.bits - 1) - 1 : 2 ** q.bits - 1;
  return { range: { min: lo * q.scale, max: hi * q.scale } };
}

/** The float network's layer object, with pikehdl's usual field order and defaults left out. */
function finishLayer(b: Builder, prev: string): Record<string, unknown> {
  const l: Record<string, unknown> = { name: b.name, op: b.op };
  if (b.input !== prev) l.input = b.input;
  if (b.with !== undefined) l.with = b.with;
  if (b.outChannels !== undefined) l.outChannels = b.outChannels;
  if (b.outFeatures !== undefined) l.outFeatures = b.outFeatures;
  if (b.kernel !== undefined) l.kernel = b.kernel;
  const pool = b.op === 'avgPool' || b.op === 'maxPool';
  if (pool && b.kernel !== 'global' && b.stride !== b.kernel) l.stride = b.stride;
  if (!pool && b.stride !== undefined && b.stride !== 1) l.stride = b.stride;
  if (b.padding !== undefined && b.padding !== 0) l.padding = b.padding;
  if (b.weights !== undefined) l.weights = b.weights;
  if (b.bias !== undefined) l.bias = b.bias;
  if (b.batchNorm !== undefined) l.batchNorm = b.batchNorm;
  if (b.activation !== undefined && b.activation.kind !== 'none') l.activation = b.activation;
  // Declared widths of a quantized graph (the float schema allows 1 to 8 bits).
  if (b.quant.weights !== undefined && b.quant.weights.bits <= 8) l.weightBits = b.quant.weights.bits;
  if (b.quant.input !== undefined && b.quant.input.bits <= 8 && b.op !== 'add') l.activationBits = b.quant.input.bits;
  return l;
}
