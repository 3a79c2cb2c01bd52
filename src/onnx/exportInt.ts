/**
 * pikehdl integer network -> QDQ ONNX (opset 13): the form ONNX Runtime's
 * quantizer writes, so the network opens in Netron and runs in ORT.
 *
 * Each tensor is a QuantizeLinear/DequantizeLinear pair with the tensor's
 * scale (UINT8 or INT8 containers; narrower tensors and ReLU6 bounds get a
 * Clip on the integers between the two, Brevitas' QCDQ form). A conv/dense
 * layer's requantizer is an affine map per channel, y = a[c]*acc + b[c] in
 * output LSBs, composed from its stages (affineOf); the graph carries it as
 * weight scales s_y*a[c]/s_x on the integer weights and a float bias s_y*b[c].
 * ORT then computes the same real function in float and rounds half to even
 * once, while pikehdl rounds with the layer's mode at its own points: outputs
 * agree to about one LSB per layer, not bit for bit (the test measures it).
 * Weights wider than 8 bits and tensors wider than 8 bits are refused.
 * `pikehdl import` reads the graph back with the same layers, weights (up to
 * a channel's sign), widths and bounds; a rescaling add (a Mul) it refuses.
 */
import { maxOf, minOf } from '../arith/index.ts';
import { type IntNetwork, type OutputSpec, type Requant, type TensorSpec, walkIntNetwork, tensorShape } from '../model/index.ts';
import { denseToOnnx, convToOihw, depthwiseToOihw } from './layout.ts';
import { DT, encodeModel, type EncodeNode, type EncodeTensor } from './proto.ts';
import { OnnxError } from './onnxError.ts';
import { EXPORT_OPSET } from './exportFloat.ts';

const pick = (a: readonly number[], c: number): number => (a.length === 1 ? a[0]! : a[c]!);

/** Per-channel affine map of a requantizer: output LSBs = a*acc + b, and the PReLU slope applied to negatives (1 if none). */
export function affineOf(r: Requant, c: number): { a: number; b: number; slope: number } {
  if (r.kind === 'tflite') {
    const a = pick(r.multipliers, c) * 2 ** (pick(r.shifts, c) - 31);
    const slope = r.prelu ? pick(r.prelu.slopes, c) * 2 ** -r.prelu.shift : 1;
    return { a, b: pick(r.bias, c) * a, slope };
  }
  let a = 1;
  let b = 0;
  const step = (m: number, o: number): void => {
    a *= m;
    b = b * m + o;
  };
  if (r.norm?.arithmetic === 'integer') step(pick(r.norm.multipliers, c), pick(r.norm.offsets, c));
  if (r.scale?.arithmetic === 'integer') step(pick(r.scale.multipliers, c), r.scale.offsets ? pick(r.scale.offsets, c) : 0);
  step(2 ** -r.shift, 0);
  if (r.norm?.arithmetic === 'float') step(pick(r.norm.multipliers, c), pick(r.norm.offsets, c));
  if (r.scale?.arithmetic === 'float') step(pick(r.scale.multipliers, c), r.scale.offsets ? pick(r.scale.offsets, c) : 0);
  const p = r.prelu;
  const slope = p === undefined ? 1 : p.arithmetic === 'integer' ? pick(p.slopes, c) * 2 ** -p.shift : pick(p.slopes, c);
  return { a, b, slope };
}

export function exportIntOnnx(net: IntNetwork): Uint8Array {
  const { shapes, issues } = walkIntNetwork(net);
  if (issues.length > 0) throw new OnnxError(`integer network "${net.name}": ${issues[0]!.message}`);
  const nodes: EncodeNode[] = [];
  const inits: EncodeTensor[] = [];
  const node = (opType: string, name: string, inputs: string[], outputs: string[], attributes?: EncodeNode['attributes']): void =>
    void nodes.push({ opType, name, inputs, outputs, ...(attributes ? { attributes } : {}) });
  const tensor = (name: string, dims: number[], dataType: EncodeTensor['dataType'], values: readonly number[]): string => {
    inits.push({ name, dims, dataType, values });
    return name;
  };

  /**
   * QuantizeLinear, a Clip on the integers when the tensor's bounds are narrower than its 8-bit
   * container, DequantizeLinear: Brevitas' QCDQ form, which `pikehdl import` reads back.
   */
  const qdq = (x: string, t: TensorSpec, bounds: { min: number; max: number } | undefined, tag: string): string => {
    if (t.bits > 8) throw new OnnxError(`${tag}: ${t.bits}-bit tensors do not fit QDQ's 8-bit containers`);
    const s = tensorShape(t);
    const lo = bounds?.min ?? Number(minOf(s));
    const hi = bounds?.max ?? Number(maxOf(s));
    const container = t.signed ? { lo: -128, hi: 127, dt: DT.INT8 } : { lo: 0, hi: 255, dt: DT.UINT8 };
    const sc = tensor(`${tag}.scale`, [], DT.FLOAT, [t.scale]);
    const zp = tensor(`${tag}.zero_point`, [], container.dt, [0]);
    node('QuantizeLinear', `${tag}/quantize`, [x, sc, zp], [`${tag}.q`]);
    let q = `${tag}.q`;
    if (lo !== container.lo || hi !== container.hi) {
      node('Clip', `${tag}/clip`, [q, tensor(`${tag}.clip_min`, [], container.dt, [lo]), tensor(`${tag}.clip_max`, [], container.dt, [hi])], [`${tag}.qc`]);
      q = `${tag}.qc`;
    }
    node('DequantizeLinear', `${tag}/dequantize`, [q, sc, zp], [`${tag}.dq`]);
    return `${tag}.dq`;
  };

  const tensors = new Map<string, { name: string; rank: 2 | 4; spec: TensorSpec }>();
  tensors.set('input', { name: qdq('input', net.input.tensor, undefined, 'input'), rank: 4, spec: net.input.tensor });

  net.layers.forEach((layer, i) => {
    const s = shapes[i]!;
    const n = layer.name;
    const src = tensors.get(layer.input)!;
    const c = s.output.channels;
    const as4 = (t: { name: string; rank: 2 | 4 }, tag: string, ch: number): string => {
      if (t.rank === 4) return t.name;
      node('Reshape', `${n}/${tag}_reshape`, [t.name, tensor(`${n}.${tag}_shape`, [4], DT.INT64, [1, ch, 1, 1])], [`${n}.${tag}4d`]);
      return `${n}.${tag}4d`;
    };
    let cur: string;
    let rank: 2 | 4 = 4;
    let out: OutputSpec = layer.output;
    let slopes: number[] | undefined;
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense': {
        if (layer.weightBits > 8) throw new OnnxError(`layer "${n}": ${layer.weightBits}-bit weights do not fit QDQ's INT8 container`);
        const aff = Array.from({ length: c }, (_, ch) => affineOf(layer.requant, ch));
        const sx = src.spec.scale;
        const sy = layer.output.scale;
        // A negative a[c] (a batch norm with negative gamma) flips the channel's weights: exact, they are symmetric.
        const sign = aff.map((f) => (f.a < 0 ? -1 : 1));
        const scales = aff.map((f) => (sy * Math.abs(f.a)) / sx);
        const bias = aff.map((f) => sy * f.b);
        if (scales.some((v) => !(v > 0) || !Number.isFinite(v))) throw new OnnxError(`layer "${n}": a zero effective weight scale cannot be written as a DequantizeLinear scale`);
        if (aff.some((f) => f.slope !== 1)) slopes = aff.map((f) => f.slope);
        const { channels: ic, height: ih, width: iw } = s.input;
        let x: string;
        let wInts: number[];
        let wDims: number[];
        if (layer.op === 'dense') {
          x = src.name;
          if (src.rank === 4) {
            x = `${n}.flat`;
            node('Flatten', `${n}/flatten`, [src.name], [x], { axis: 1 });
          }
          wInts = denseToOnnx(layer.weights.map((v, j) => v * sign[Math.floor(j / (ic * ih * iw))]!), c, ic, ih, iw);
          wDims = [c, ic * ih * iw];
        } else {
          x = as4(src, 'in', ic);
          const k = layer.kernel;
          // pikehdl layouts: conv2d [O][k][k][I] (channel = index / (k*k*I)), depthwise [k][k][C] (channel = index % C).
          const signed = layer.op === 'conv2d' ? layer.weights.map((v, j) => v * sign[Math.floor(j / (k * k * ic))]!) : layer.weights.map((v, j) => v * sign[j % c]!);
          wInts = layer.op === 'conv2d' ? convToOihw(signed, c, ic, k) : depthwiseToOihw(signed, c, k);
          wDims = layer.op === 'conv2d' ? [c, ic, k, k] : [c, 1, k, k];
        }
        let wq = tensor(`${n}.weight_q`, wDims, DT.INT8, wInts);
        if (layer.weightBits < 8) {
          // The weights' own width, as a Clip on the integers (QCDQ), so it survives a re-import.
          const m = layer.weightBits === 1 ? 1 : 2 ** (layer.weightBits - 1) - 1;
          node('Clip', `${n}/weight_clip`, [wq, tensor(`${n}.weight_min`, [], DT.INT8, [-m]), tensor(`${n}.weight_max`, [], DT.INT8, [m])], [`${n}.weight_qc`]);
          wq = `${n}.weight_qc`;
        }
        const ws = tensor(`${n}.weight_scale`, [c], DT.FLOAT, scales);
        const wz = tensor(`${n}.weight_zero_point`, [c], DT.INT8, new Array<number>(c).fill(0));
        node('DequantizeLinear', `${n}/weight_dequantize`, [wq, ws, wz], [`${n}.weight`], { axis: 0 });
        const b = tensor(`${n}.bias`, [c], DT.FLOAT, bias);
        cur = `${n}.mac`;
        if (layer.op === 'dense') {
          node('Gemm', n, [x, `${n}.weight`, b], [cur], { transB: 1 });
          rank = 2;
        } else {
          const p = layer.padding;
          node('Conv', n, [x, `${n}.weight`, b], [cur], {
            dilations: [1, 1], group: layer.op === 'conv2d' ? 1 : c, kernel_shape: [layer.kernel, layer.kernel], pads: [p, p, p, p], strides: [layer.stride, layer.stride],
          });
        }
        break;
      }
      case 'avgPool': {
        cur = `${n}.pool`;
        const x = as4(src, 'in', s.input.channels);
        if (layer.kernel === 'global') node('GlobalAveragePool', n, [x], [cur]);
        else {
          const p = layer.padding ?? 0;
          node('AveragePool', n, [x], [cur], { kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride], ...(p > 0 ? { pads: [p, p, p, p] } : {}) });
        }
        out = layer.output;
        break;
      }
      case 'maxPool': {
        cur = `${n}.pool`;
        const p = layer.padding;
        node('MaxPool', n, [as4(src, 'in', s.input.channels)], [cur], { kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride], pads: [p, p, p, p] });
        out = layer.output;
        break;
      }
      case 'add': {
        const other = tensors.get(layer.with)!;
        const sy = layer.output.scale;
        const a = layer.align;
        const [g1, g2] = a.arithmetic === 'integer' ? [a.multipliers[0] * 2 ** -a.shift, a.multipliers[1] * 2 ** -a.shift] : a.multipliers;
        const both4 = src.rank === 4 || other.rank === 4;
        // Real output = real1 * (s_y*g1/s_1) + real2 * (s_y*g2/s_2): a Mul where that factor is not 1.
        const term = (t: { name: string; rank: 2 | 4; spec: TensorSpec }, g: number, tag: string): string => {
          const x = both4 ? as4(t, tag, c) : t.name;
          const f = (sy * g) / t.spec.scale;
          if (Math.fround(f) === 1) return x;
          node('Mul', `${n}/${tag}_scale`, [x, tensor(`${n}.${tag}_factor`, [], DT.FLOAT, [f])], [`${n}.${tag}_scaled`]);
          return `${n}.${tag}_scaled`;
        };
        cur = `${n}.add`;
        node('Add', n, [term(src, g1, 'in'), term(other, g2, 'with')], [cur]);
        rank = both4 ? 4 : 2;
        const p = layer.prelu;
        if (p !== undefined) slopes = Array.from({ length: c }, (_, ch) => (p.arithmetic === 'integer' ? pick(p.slopes, ch) * 2 ** -p.shift : pick(p.slopes, ch)));
        break;
      }
    }
    if (slopes !== undefined) {
      node('PRelu', `${n}/prelu`, [cur, tensor(`${n}.prelu_slope`, rank === 4 ? [c, 1, 1] : [c], DT.FLOAT, slopes)], [`${n}.prelu`]);
      cur = `${n}.prelu`;
    }
    const spec: TensorSpec = { bits: out.bits, signed: out.signed, scale: out.scale };
    tensors.set(n, { name: qdq(cur, spec, { min: out.min, max: out.max }, n), rank, spec });
  });

  const last = net.layers[net.layers.length - 1]!;
  const lastT = tensors.get(last.name)!;
  const lastNode = nodes[nodes.length - 1]!;
  nodes[nodes.length - 1] = { ...lastNode, outputs: ['output'] };
  const o = shapes[shapes.length - 1]!.output;
  return encodeModel({
    graphName: net.name,
    opset: EXPORT_OPSET,
    input: { name: 'input', dims: [1, net.input.channels, net.input.height, net.input.width] },
    output: { name: 'output', dims: lastT.rank === 4 ? [1, o.channels, o.height, o.width] : [1, o.channels] },
    nodes,
    initializers: inits,
    metadata: new Map([['pikehdl.int-network', JSON.stringify({ name: net.name, recipe: net.recipe })]]),
  });
}
