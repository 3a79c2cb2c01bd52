// One small quantized network written two ways: with QONNX `Quant` nodes (as
// Brevitas exports it; pikehdl imports it) and as QDQ with a Clip before each
// narrow QuantizeLinear (ONNX Runtime runs it). Both describe the same
// arithmetic: 8-bit unsigned input, 4-bit narrow-range per-channel conv
// weights, ReLU, 4-bit unsigned activations, global average pool, 4-bit
// per-tensor dense weights, 8-bit signed output; every rounding half-to-even.
import { roundFloat } from '../../src/arith/index.ts';
import { seededRandom } from '../../src/quant/index.ts';
import { DT, encodeModel, type EncodeNode, type EncodeTensor } from '../../src/onnx/proto.ts';

export const QONNX_DOMAIN = 'qonnx.custom_op.general';

export interface QuantGraphOptions {
  /** qonnx: Quant nodes; qdq: Clip before an 8-bit QuantizeLinear; qcdq: Brevitas' QuantizeLinear -> Clip -> DequantizeLinear on integers. */
  readonly form: 'qonnx' | 'qdq' | 'qcdq';
  /** Activation zero point (must be refused when non-zero). */
  readonly zeroPoint?: number;
  /** QONNX only: weights quantized with narrow = 0, so -8 can occur (must be refused). */
  readonly fullRangeWeights?: boolean;
  /** A BatchNormalization between the conv and its ReLU (Brevitas keeps it unfolded). */
  readonly batchNorm?: boolean;
}

const rne = (v: number): number => roundFloat(v, 'rne');

export const SHAPE = { c: 2, h: 6, w: 6 } as const;

export function quantGraph(seed: number, o: QuantGraphOptions): Uint8Array {
  const r = seededRandom(seed);
  const nodes: EncodeNode[] = [];
  const inits: EncodeTensor[] = [];
  const f32 = Math.fround;
  const t = (name: string, dims: number[], dataType: EncodeTensor['dataType'], values: readonly number[]): string => {
    inits.push({ name, dims, dataType, values });
    return name;
  };
  const zp = o.zeroPoint ?? 0;

  /** An activation quantizer: unsigned or signed, `bits` wide, one scale. */
  const act = (x: string, name: string, scale: number, bits: number, signed: boolean): string => {
    const out = `${name}.out`;
    if (o.form === 'qonnx') {
      nodes.push({
        opType: 'Quant', domain: QONNX_DOMAIN, name, inputs: [x, t(`${name}.s`, [], DT.FLOAT, [scale]), t(`${name}.z`, [], DT.FLOAT, [zp]), t(`${name}.b`, [], DT.FLOAT, [bits])],
        outputs: [out], attributes: { signed: signed ? 1 : 0, narrow: 0, rounding_mode: 'ROUND' },
      });
      return out;
    }
    const lo = signed ? -(2 ** (bits - 1)) : 0;
    const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    if (o.form === 'qcdq') {
      const ct = signed ? DT.INT8 : DT.UINT8;
      const s = t(`${name}.s`, [], DT.FLOAT, [scale]);
      const z = t(`${name}.z`, [], ct, [zp]);
      nodes.push({ opType: 'QuantizeLinear', name: `${name}/q`, inputs: [x, s, z], outputs: [`${name}.q`] });
      let q = `${name}.q`;
      if (bits < 8) {
        nodes.push({ opType: 'Clip', name: `${name}/clip`, inputs: [q, t(`${name}.lo`, [], ct, [lo]), t(`${name}.hi`, [], ct, [hi])], outputs: [`${name}.qc`] });
        q = `${name}.qc`;
      }
      nodes.push({ opType: 'DequantizeLinear', name: `${name}/dq`, inputs: [q, s, z], outputs: [out] });
      return out;
    }
    let cur = x;
    if (bits < 8) {
      nodes.push({ opType: 'Clip', name: `${name}/clip`, inputs: [cur, t(`${name}.lo`, [], DT.FLOAT, [f32(lo * scale)]), t(`${name}.hi`, [], DT.FLOAT, [f32(hi * scale)])], outputs: [`${name}.c`] });
      cur = `${name}.c`;
    }
    const s = t(`${name}.s`, [], DT.FLOAT, [scale]);
    const z = t(`${name}.z`, [], signed ? DT.INT8 : DT.UINT8, [zp]);
    nodes.push({ opType: 'QuantizeLinear', name: `${name}/q`, inputs: [cur, s, z], outputs: [`${name}.q`] });
    nodes.push({ opType: 'DequantizeLinear', name: `${name}/dq`, inputs: [`${name}.q`, s, z], outputs: [out] });
    return out;
  };

  /** Weights: float values and per-channel (axis 0) or per-tensor scales, `bits` wide, narrow range. */
  const weights = (name: string, dims: number[], scaleDims: number[], bits: number): string => {
    const n = dims.reduce((a, b) => a * b, 1);
    const perChannel = scaleDims.length > 0 && scaleDims[0]! > 1;
    const C = perChannel ? dims[0]! : 1;
    const w = Array.from({ length: n }, () => f32(0.4 * r.gaussian()));
    const hiQ = 2 ** (bits - 1) - 1;
    const scales = Array.from({ length: C }, (_, c) => {
      const part = w.filter((_, i) => (perChannel ? Math.floor(i / (n / C)) === c : true));
      return f32(Math.max(...part.map(Math.abs)) / hiQ);
    });
    const sc = (i: number): number => scales[perChannel ? Math.floor(i / (n / C)) : 0]!;
    if (o.form === 'qonnx') {
      if (o.fullRangeWeights) w[0] = f32(-(hiQ + 1) * sc(0)); // rounds to -2^(b-1), outside the symmetric range
      nodes.push({
        opType: 'Quant', domain: QONNX_DOMAIN, name: `${name}/quant`,
        inputs: [t(`${name}.w`, dims, DT.FLOAT, w), t(`${name}.ws`, scaleDims, DT.FLOAT, scales), t(`${name}.wz`, [], DT.FLOAT, [0]), t(`${name}.wb`, [], DT.FLOAT, [bits])],
        outputs: [`${name}.weight`], attributes: { signed: 1, narrow: o.fullRangeWeights ? 0 : 1, rounding_mode: 'ROUND' },
      });
    } else if (o.form === 'qcdq') {
      const sDims = perChannel ? [C] : [];
      const ws = t(`${name}.ws`, sDims, DT.FLOAT, scales);
      const wz = t(`${name}.wz`, sDims, DT.INT8, new Array<number>(perChannel ? C : 1).fill(0));
      nodes.push({ opType: 'QuantizeLinear', name: `${name}/q`, inputs: [t(`${name}.w`, dims, DT.FLOAT, w), ws, wz], outputs: [`${name}.wq`], attributes: { axis: 0 } });
      nodes.push({ opType: 'Clip', name: `${name}/clip`, inputs: [`${name}.wq`, t(`${name}.lo`, [], DT.INT8, [-hiQ]), t(`${name}.hi`, [], DT.INT8, [hiQ])], outputs: [`${name}.wqc`] });
      nodes.push({ opType: 'DequantizeLinear', name: `${name}/dq`, inputs: [`${name}.wqc`, ws, wz], outputs: [`${name}.weight`], attributes: { axis: 0 } });
    } else {
      const q = w.map((v, i) => Math.min(hiQ, Math.max(-hiQ, rne(v / sc(i)))));
      nodes.push({
        opType: 'DequantizeLinear', name: `${name}/dq`,
        inputs: [t(`${name}.wq`, dims, DT.INT8, q), t(`${name}.ws`, perChannel ? [C] : [], DT.FLOAT, scales), t(`${name}.wz`, perChannel ? [C] : [], DT.INT8, new Array<number>(perChannel ? C : 1).fill(0))],
        outputs: [`${name}.weight`], attributes: { axis: 0 },
      });
    }
    return `${name}.weight`;
  };

  const { c, h, w } = SHAPE;
  let x = act('input', 'q_in', f32(1 / 255), 8, false);
  const wc = weights('conv', [4, c, 3, 3], [4, 1, 1, 1], 4);
  nodes.push({ opType: 'Conv', name: 'conv', inputs: [x, wc, t('conv.bias', [4], DT.FLOAT, Array.from({ length: 4 }, () => f32(0.1 * r.gaussian())))], outputs: ['conv.out'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } });
  if (o.batchNorm) {
    const v = (lo: number, hi: number): number[] => Array.from({ length: 4 }, () => f32(lo + (hi - lo) * r.next()));
    nodes.push({
      opType: 'BatchNormalization', name: 'bn', inputs: ['conv.out', t('bn.g', [4], DT.FLOAT, v(-1.5, 1.5)), t('bn.b', [4], DT.FLOAT, v(-0.3, 0.3)), t('bn.m', [4], DT.FLOAT, v(-0.2, 0.2)), t('bn.v', [4], DT.FLOAT, v(0.2, 1))],
      outputs: ['bn.out'], attributes: { epsilon: { float: 1e-5 } },
    });
  }
  nodes.push({ opType: 'Relu', name: 'relu', inputs: [o.batchNorm ? 'bn.out' : 'conv.out'], outputs: ['relu.out'] });
  x = act('relu.out', 'q_relu', f32(0.08), 4, false);
  nodes.push({ opType: 'GlobalAveragePool', name: 'pool', inputs: [x], outputs: ['pool.out'] });
  x = act('pool.out', 'q_pool', f32(0.08), 4, false);
  nodes.push({ opType: 'Flatten', name: 'flatten', inputs: [x], outputs: ['flat'], attributes: { axis: 1 } });
  const wd = weights('fc', [5, 4], [], 4);
  nodes.push({ opType: 'Gemm', name: 'fc', inputs: ['flat', wd, t('fc.bias', [5], DT.FLOAT, Array.from({ length: 5 }, () => f32(0.05 * r.gaussian())))], outputs: ['fc.out'], attributes: { transB: 1 } });
  const outName = act('fc.out', 'q_out', f32(0.05), 8, true);
  const last = nodes[nodes.length - 1]!;
  nodes[nodes.length - 1] = { ...last, outputs: ['output'] };
  void outName;
  return encodeModel({
    graphName: `quant_${o.form}`,
    opset: 13,
    input: { name: 'input', dims: [1, c, h, w] },
    output: { name: 'output', dims: [1, 5] },
    nodes,
    initializers: inits,
    metadata: new Map(),
  });
}
