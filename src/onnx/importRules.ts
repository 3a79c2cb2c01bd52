/**
 * The small rules the ONNX importer applies to attributes and constant
 * tensors: padding, per-channel vectors under numpy broadcasting, the input's
 * dims, NCHW <-> NHWC transposes. Each refuses what pikehdl cannot represent
 * with an OnnxError naming the node.
 */
import { OnnxError } from './onnxError.ts';
import type { Node, Tensor } from './proto.ts';

export interface Dims {
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/** Ops that may read an NHWC tensor: layout changes, flattening, and ReduceMean over its height and width. */
export const LAYOUT_OPS = ['Transpose', 'Reshape', 'Flatten', 'Identity', 'Dropout', 'Shape', 'Squeeze', 'ReduceMean'];

export function isTranspose(n: Node, perm: readonly number[]): boolean {
  const a = n.attributes.get('perm');
  return n.opType === 'Transpose' && a?.kind === 'ints' && a.value.length === perm.length && a.value.every((v, i) => v === perm[i]);
}

export function channelAxis(dims: readonly number[], scaleDims: readonly number[], label: string): number {
  // QONNX broadcasts the scale: per-channel scales have shape [C, 1, 1, 1] (conv) or [N, 1] (dense) etc.
  const axes = scaleDims.flatMap((d, i) => (d > 1 ? [i + dims.length - scaleDims.length] : []));
  if (axes.length !== 1) throw new OnnxError(`${label}: scale shape [${scaleDims.join(', ')}] is not per-tensor or per-channel`);
  return axes[0]!;
}

/**
 * A per-channel vector from a constant. `rank` 0: the op's spec makes it 1-D
 * (Conv and Gemm bias, BatchNormalization inputs). Rank 4 or 2: numpy
 * broadcasting against an NCHW or [N, F] activation, so the channel axis is
 * third from the right ([C, 1, 1], [1, C, 1, 1]) or last ([F], [1, F]).
 * A single value broadcasts to every channel.
 */
export function perChannel(t: Tensor, c: number, label: string, what: string, rank: 0 | 2 | 4 = 0): number[] {
  const n = t.data.length;
  if (n === 1 && rank !== 0) return new Array<number>(c).fill(t.data[0]!);
  const nonUnit = t.dims.map((d, i) => ({ d, i })).filter((x) => x.d !== 1);
  const fromRight = rank === 4 ? 2 : 0;
  const ok = n === c && (rank === 0 ? t.dims.length === 1 || (t.dims.length === 2 && t.dims[0] === 1) : nonUnit.length <= 1 && (c === 1 || t.dims.length - 1 - nonUnit[0]!.i === fromRight));
  if (!ok) throw new OnnxError(`${label}: ${what} of shape [${t.dims.join(', ')}] is not one value per channel (${c} channels)`);
  return Array.from(t.data);
}

export function scalar(t: Tensor, label: string, what: string): number {
  if (t.data.length !== 1) throw new OnnxError(`${label}: ${what} must be a scalar`);
  return t.data[0]!;
}

export function convPads(label: string, autoPad: string, pads: readonly number[], x: Dims, k: number, stride: number): number {
  if (autoPad === 'VALID') return 0;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const total = (size: number): number => Math.max(0, (Math.ceil(size / stride) - 1) * stride + k - size);
    const th = total(x.h);
    const tw = total(x.w);
    if (th !== tw || th % 2 !== 0) throw new OnnxError(`${label}: auto_pad ${autoPad} pads ${th}x${tw} unevenly here: pikehdl pads equally on every side`);
    return th / 2;
  }
  if (autoPad !== 'NOTSET') throw new OnnxError(`${label}: auto_pad "${autoPad}" is not supported`);
  if (pads.length !== 4) throw new OnnxError(`${label}: pads [${pads.join(', ')}] must have 4 entries`);
  const p = pads[0]!;
  if (pads.some((v) => v !== p)) throw new OnnxError(`${label}: asymmetric padding [${pads.join(', ')}] is not representable: pikehdl pads equally on every side`);
  return p;
}

export function resolveInputDims(name: string, dims: readonly (number | string | null)[] | null, given: readonly number[] | undefined, source: string, nhwc: boolean): { dims: Dims; flat: boolean } {
  if (dims === null) {
    if (given === undefined) throw new OnnxError(`${source}: input "${name}" has no shape: give --input-shape C,H,W`);
  }
  const d = dims ?? [];
  const dynamic = d.slice(1).some((v) => typeof v !== 'number');
  let shape: number[];
  if (given !== undefined) {
    const g = given.length === d.length - 1 || d.length === 0 ? [1, ...given] : [...given];
    if (d.length !== 0 && g.length !== d.length) throw new OnnxError(`${source}: --input-shape ${given.join(',')} has ${given.length} dims, input "${name}" has ${d.length} (with the batch)`);
    d.forEach((v, i) => {
      if (typeof v === 'number' && i > 0 && v !== g[i]) throw new OnnxError(`${source}: --input-shape gives ${g[i]} for dim ${i} of input "${name}", which the file fixes at ${v}`);
    });
    shape = g;
  } else {
    if (dynamic) throw new OnnxError(`${source}: input "${name}" has dynamic dims [${d.map((v) => v ?? '?').join(', ')}]: give --input-shape ${nhwc ? 'H,W,C (this input is NHWC)' : 'C,H,W'}`);
    shape = d.map((v) => (typeof v === 'number' ? v : 1));
  }
  if (typeof d[0] === 'number' && d[0] !== 1) throw new OnnxError(`${source}: input "${name}" has batch ${d[0]}: export with batch 1 (or a dynamic batch)`);
  if (shape[0] !== 1) throw new OnnxError(`${source}: batch ${shape[0]} in the input shape: only batch 1`);
  if (shape.length === 4) return { dims: nhwc ? { c: shape[3]!, h: shape[1]!, w: shape[2]! } : { c: shape[1]!, h: shape[2]!, w: shape[3]! }, flat: false };
  if (shape.length === 2) return { dims: { c: shape[1]!, h: 1, w: 1 }, flat: true };
  throw new OnnxError(`${source}: input "${name}" has rank ${shape.length}: expected [N, C, H, W] (or [N, F])`);
}
