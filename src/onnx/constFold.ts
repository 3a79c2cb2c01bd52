/**
 * Constant folding of the shape arithmetic exporters emit around the real
 * layers (torch.onnx.export's `x.reshape(x.size(0), -1)` becomes Shape ->
 * Gather -> Unsqueeze -> Concat -> Reshape; tf2onnx adds Cast and Slice).
 * These ops run here on constant tensors only; each returns the folded
 * tensor or throws OnnxError naming the node.
 */
import { DT, type Tensor } from './proto.ts';
import { OnnxError, nodeLabel } from './onnxError.ts';
import type { Node } from './proto.ts';

export const FOLDABLE_OPS = ['Constant', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Slice', 'Reshape', 'ConstantOfShape', 'Add', 'Sub', 'Mul', 'Div', 'Identity'] as const;

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** Index tuple of flat index `i` in `dims`. */
function unravel(i: number, dims: readonly number[]): number[] {
  const out = new Array<number>(dims.length).fill(0);
  for (let d = dims.length - 1; d >= 0; d--) {
    out[d] = i % dims[d]!;
    i = Math.floor(i / dims[d]!);
  }
  return out;
}

const normAxis = (a: number, rank: number, node: Node): number => {
  const r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) throw new OnnxError(`${nodeLabel(node)}: axis ${a} is outside a rank-${rank} tensor`);
  return r;
};

/** Numpy broadcasting of a binary op. */
export function broadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number, node: Node): Tensor {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...new Array<number>(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...new Array<number>(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => {
    const e = pb[i]!;
    if (d !== e && d !== 1 && e !== 1) throw new OnnxError(`${nodeLabel(node)}: shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast`);
    return Math.max(d, e);
  });
  const sa = strides(pa);
  const sb = strides(pb);
  const n = product(dims);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, dims);
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < rank; d++) {
      ia += (pa[d] === 1 ? 0 : idx[d]!) * sa[d]!;
      ib += (pb[d] === 1 ? 0 : idx[d]!) * sb[d]!;
    }
    data[i] = f(a.data[ia]!, b.data[ib]!);
  }
  return { dims, dataType: a.dataType, data };
}

const isFloatType = (t: number): boolean => t === DT.FLOAT || t === DT.DOUBLE;

/** Round a result to its element type the way ONNX Runtime stores it. */
function toType(v: number, t: number): number {
  if (t === DT.FLOAT) return Math.fround(v);
  if (t === DT.DOUBLE) return v;
  return Math.trunc(v);
}

export interface FoldContext {
  readonly opset: number;
  readonly ints: (name: string) => readonly number[] | undefined;
  readonly int: (name: string) => number | undefined;
  readonly tensorAttr: (name: string) => Tensor | undefined;
}

/** Fold one node whose tensor inputs are all constant. `inputs[i]` is undefined for an omitted optional input. */
export function foldNode(node: Node, inputs: readonly (Tensor | undefined)[], ctx: FoldContext): Tensor {
  const need = (i: number): Tensor => {
    const t = inputs[i];
    if (t === undefined) throw new OnnxError(`${nodeLabel(node)}: input ${i} is missing`);
    return t;
  };
  switch (node.opType) {
    case 'Identity':
      return need(0);
    case 'Constant': {
      const t = ctx.tensorAttr('value');
      if (t !== undefined) return t;
      throw new OnnxError(`${nodeLabel(node)}: only the "value" (tensor) form of Constant is supported`);
    }
    case 'Cast': {
      const to = ctx.int('to') ?? DT.FLOAT;
      const x = need(0);
      return { dims: x.dims, dataType: to, data: x.data.map((v) => toType(v, to)) };
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div': {
      const a = need(0);
      const t = a.dataType;
      const f = {
        Add: (x: number, y: number) => x + y,
        Sub: (x: number, y: number) => x - y,
        Mul: (x: number, y: number) => x * y,
        Div: (x: number, y: number) => (isFloatType(t) ? x / y : Math.trunc(x / y)),
      }[node.opType];
      const r = broadcast(a, need(1), f, node);
      return { ...r, data: r.data.map((v) => toType(v, t)) };
    }
    case 'Gather': {
      const data = need(0);
      const idx = need(1);
      const axis = normAxis(ctx.int('axis') ?? 0, data.dims.length, node);
      const n = data.dims[axis]!;
      const outer = product(data.dims.slice(0, axis));
      const inner = product(data.dims.slice(axis + 1));
      const dims = [...data.dims.slice(0, axis), ...idx.dims, ...data.dims.slice(axis + 1)];
      const out = new Float64Array(product(dims));
      let k = 0;
      for (let o = 0; o < outer; o++) {
        for (const raw of idx.data) {
          const j = raw < 0 ? raw + n : raw;
          if (j < 0 || j >= n) throw new OnnxError(`${nodeLabel(node)}: index ${raw} is outside axis ${axis} of size ${n}`);
          for (let i = 0; i < inner; i++) out[k++] = data.data[(o * n + j) * inner + i]!;
        }
      }
      return { dims, dataType: data.dataType, data: out };
    }
    case 'Unsqueeze': {
      const x = need(0);
      const axes = ctx.opset >= 13 ? Array.from(need(1).data) : ctx.ints('axes');
      if (axes === undefined) throw new OnnxError(`${nodeLabel(node)}: axes are missing`);
      const rank = x.dims.length + axes.length;
      const set = new Set(axes.map((a) => normAxis(a, rank, node)));
      const dims: number[] = [];
      let j = 0;
      for (let d = 0; d < rank; d++) dims.push(set.has(d) ? 1 : x.dims[j++]!);
      return { dims, dataType: x.dataType, data: x.data };
    }
    case 'Squeeze': {
      const x = need(0);
      const given = ctx.opset >= 13 ? (inputs[1] ? Array.from(inputs[1].data) : undefined) : ctx.ints('axes');
      const set = new Set(given === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : given.map((a) => normAxis(a, x.dims.length, node)));
      return { dims: x.dims.filter((_, i) => !set.has(i)), dataType: x.dataType, data: x.data };
    }
    case 'Concat': {
      const ts = inputs.map((_, i) => need(i));
      const first = ts[0]!;
      const axis = normAxis(ctx.int('axis') ?? 0, first.dims.length, node);
      const outer = product(first.dims.slice(0, axis));
      const inner = product(first.dims.slice(axis + 1));
      const total = ts.reduce((s, t) => s + t.dims[axis]!, 0);
      const out = new Float64Array(outer * total * inner);
      let k = 0;
      for (let o = 0; o < outer; o++) {
        for (const t of ts) {
          const len = t.dims[axis]! * inner;
          for (let i = 0; i < len; i++) out[k++] = t.data[o * len + i]!;
        }
      }
      const dims = [...first.dims];
      dims[axis] = total;
      return { dims, dataType: first.dataType, data: out };
    }
    case 'Reshape': {
      const x = need(0);
      const dims = resolveReshape(x.dims, Array.from(need(1).data), node);
      return { dims, dataType: x.dataType, data: x.data };
    }
    case 'ConstantOfShape': {
      const shape = Array.from(need(0).data);
      const v = ctx.tensorAttr('value');
      return { dims: shape, dataType: v?.dataType ?? DT.FLOAT, data: new Float64Array(product(shape)).fill(v?.data[0] ?? 0) };
    }
    case 'Slice': {
      const x = need(0);
      const rank = x.dims.length;
      const starts = ctx.opset >= 10 ? Array.from(need(1).data) : (ctx.ints('starts') ?? []);
      const ends = ctx.opset >= 10 ? Array.from(need(2).data) : (ctx.ints('ends') ?? []);
      const axes = ctx.opset >= 10 ? (inputs[3] ? Array.from(inputs[3].data) : starts.map((_, i) => i)) : (ctx.ints('axes') ?? starts.map((_, i) => i));
      const steps = ctx.opset >= 10 && inputs[4] ? Array.from(inputs[4].data) : starts.map(() => 1);
      const ranges = x.dims.map((d) => ({ start: 0, end: d, step: 1 }));
      axes.forEach((a0, i) => {
        const a = normAxis(a0, rank, node);
        const d = x.dims[a]!;
        const step = steps[i]!;
        if (step !== 1) throw new OnnxError(`${nodeLabel(node)}: step ${step} is not supported (only 1)`);
        const clampIdx = (v: number): number => Math.min(d, Math.max(0, v < 0 ? v + d : v));
        ranges[a] = { start: clampIdx(starts[i]!), end: clampIdx(ends[i]!), step };
      });
      const dims = ranges.map((r) => Math.max(0, r.end - r.start));
      const out = new Float64Array(product(dims));
      const st = strides(x.dims);
      for (let i = 0; i < out.length; i++) {
        const idx = unravel(i, dims);
        let src = 0;
        for (let d = 0; d < rank; d++) src += (idx[d]! + ranges[d]!.start) * st[d]!;
        out[i] = x.data[src]!;
      }
      return { dims, dataType: x.dataType, data: out };
    }
    default:
      throw new OnnxError(`${nodeLabel(node)}: cannot be folded on constants`);
  }
}

/** ONNX Reshape's target: 0 copies the input dim (allowzero = 0), one -1 is inferred. */
export function resolveReshape(inDims: readonly number[], target: readonly number[], node: Node): number[] {
  const total = product(inDims);
  const dims = target.map((d, i) => (d === 0 ? (inDims[i] ?? 0) : d));
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1) throw new OnnxError(`${nodeLabel(node)}: more than one -1 in the target shape [${target.join(', ')}]`);
  if (unknown === 1) {
    const known = product(dims.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0) throw new OnnxError(`${nodeLabel(node)}: cannot reshape [${inDims.join(', ')}] to [${target.join(', ')}]`);
    dims[dims.indexOf(-1)] = total / known;
  }
  if (product(dims) !== total) throw new OnnxError(`${nodeLabel(node)}: cannot reshape [${inDims.join(', ')}] (${total} elements) to [${target.join(', ')}]`);
  return dims;
}
