/**
 * ONNX files in and out through `onnx-proto` (protobufjs with ONNX's own
 * schema compiled): no hand-written protobuf code here. Decoding turns the
 * protobuf objects into small plain types (numbers instead of Long, tensor
 * data as Float64Array) that the importer works on; encoding goes the other
 * way for the exporter.
 */
import onnxProto from 'onnx-proto';
import { OnnxError } from './onnxError.ts';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType codes used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

const DT_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};
export const dataTypeName = (t: number): string => DT_NAMES[t] ?? `type ${t}`;

export interface Tensor {
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Every element as a JS number (int64 beyond 2^53 rounds, which only Slice's "to the end" sentinels use). */
  readonly data: Float64Array;
}

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'other'; readonly type: number };

export interface Node {
  readonly opType: string;
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, Attribute>;
}

/** A graph input or output: element type and dims (a number, or a name/null for a dynamic dim). */
export interface ValueInfo {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly (number | string | null)[] | null;
}

export interface Model {
  readonly irVersion: number;
  /** Version of the default ("ai.onnx") opset. */
  readonly opset: number;
  readonly producer: string;
  readonly graphName: string;
  readonly nodes: readonly Node[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly metadata: ReadonlyMap<string, string>;
}

interface LongLike {
  toNumber(): number;
}
const num = (v: number | LongLike | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function rawElements(raw: Uint8Array, dataType: number, count: number, name: string): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const sizes: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8 };
  const size = sizes[dataType];
  if (size === undefined) throw new OnnxError(`tensor "${name}": element type ${dataTypeName(dataType)} is not supported (use FLOAT, DOUBLE or an integer type)`);
  if (raw.byteLength !== size * count) throw new OnnxError(`tensor "${name}": raw data has ${raw.byteLength} bytes, ${count} ${dataTypeName(dataType)} elements need ${size * count}`);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (dataType) {
      case DT.FLOAT: out[i] = view.getFloat32(o, true); break;
      case DT.DOUBLE: out[i] = view.getFloat64(o, true); break;
      case DT.UINT8: case DT.BOOL: out[i] = view.getUint8(o); break;
      case DT.INT8: out[i] = view.getInt8(o); break;
      case DT.UINT16: out[i] = view.getUint16(o, true); break;
      case DT.INT16: out[i] = view.getInt16(o, true); break;
      case DT.INT32: out[i] = view.getInt32(o, true); break;
      case DT.INT64: out[i] = Number(view.getBigInt64(o, true)); break;
    }
  }
  return out;
}

export function decodeTensor(t: onnxProto.onnx.ITensorProto, fallbackName = 'tensor'): Tensor {
  const name = t.name ?? fallbackName;
  const dims = (t.dims ?? []).map(num);
  const dataType = t.dataType ?? 0;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0) {
    throw new OnnxError(`tensor "${name}": external data is not supported: save the model with every tensor inside the .onnx file`);
  }
  if (t.segment) throw new OnnxError(`tensor "${name}": segmented tensors are not supported`);
  const count = product(dims);
  let data: Float64Array;
  if (t.rawData && t.rawData.length > 0) data = rawElements(t.rawData, dataType, count, name);
  else if (dataType === DT.FLOAT) data = Float64Array.from(t.floatData ?? []);
  else if (dataType === DT.DOUBLE) data = Float64Array.from(t.doubleData ?? []);
  else if (dataType === DT.INT64) data = Float64Array.from((t.int64Data ?? []).map(num));
  else if ([DT.INT32, DT.INT8, DT.UINT8, DT.INT16, DT.UINT16, DT.BOOL].includes(dataType as 6)) data = Float64Array.from(t.int32Data ?? []);
  else throw new OnnxError(`tensor "${name}": element type ${dataTypeName(dataType)} is not supported (use FLOAT, DOUBLE or an integer type)`);
  if (data.length !== count) throw new OnnxError(`tensor "${name}": has ${data.length} elements, its dims [${dims.join(', ')}] need ${count}`);
  return { dims, dataType, data };
}

function decodeAttribute(a: onnxProto.onnx.IAttributeProto): Attribute {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return { kind: 'int', value: num(a.i) };
    case T.FLOAT: return { kind: 'float', value: a.f ?? 0 };
    case T.STRING: return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case T.INTS: return { kind: 'ints', value: (a.ints ?? []).map(num) };
    case T.FLOATS: return { kind: 'floats', value: a.floats ?? [] };
    case T.TENSOR: return { kind: 'tensor', value: decodeTensor(a.t ?? {}, a.name ?? 'attribute') };
    default: return { kind: 'other', type: a.type ?? 0 };
  }
}

function decodeValueInfo(v: onnxProto.onnx.IValueInfoProto): ValueInfo {
  const tt = v.type?.tensorType;
  const dims = tt?.shape ? (tt.shape.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue) > 0 ? num(d.dimValue) : null)) : null;
  return { name: v.name ?? '', elemType: tt?.elemType ?? 0, dims };
}

/** Decode and sanity-check a .onnx file; `source` names it in errors. */
export function decodeModel(bytes: Uint8Array, source: string): Model {
  let m: onnxProto.onnx.ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new OnnxError(`${source}: not an ONNX model (protobuf decoding failed: ${(err as Error).message}); is the file truncated?`);
  }
  const irVersion = num(m.irVersion);
  const g = m.graph;
  if (irVersion < 3 || g === null || g === undefined || (g.node ?? []).length === 0 || (g.output ?? []).length === 0) {
    throw new OnnxError(`${source}: not an ONNX model (${irVersion < 3 ? `ir_version ${irVersion}` : 'no graph, nodes or outputs'}); is the file truncated or another format?`);
  }
  const defaultOpset = (m.opsetImport ?? []).find((o) => o.domain === undefined || o.domain === null || o.domain === '' || o.domain === 'ai.onnx');
  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', decodeTensor(t));
  if ((g.sparseInitializer ?? []).length > 0) throw new OnnxError(`${source}: sparse initializers are not supported`);
  const nodes: Node[] = (g.node ?? []).map((n, i) => ({
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    name: n.name && n.name.length > 0 ? n.name : `${n.opType ?? 'node'}_${i}`,
    inputs: n.input ?? [],
    outputs: n.output ?? [],
    attributes: new Map((n.attribute ?? []).map((a) => [a.name ?? '', decodeAttribute(a)])),
  }));
  return {
    irVersion,
    opset: defaultOpset ? num(defaultOpset.version) : 1,
    producer: m.producerName ?? '',
    graphName: g.name ?? '',
    nodes,
    initializers,
    inputs: (g.input ?? []).map(decodeValueInfo),
    outputs: (g.output ?? []).map(decodeValueInfo),
    metadata: new Map((m.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

// ---- encoding (export) ----

export interface EncodeTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: typeof DT.FLOAT | typeof DT.DOUBLE | typeof DT.INT8 | typeof DT.UINT8 | typeof DT.INT32 | typeof DT.INT64;
  readonly values: ArrayLike<number>;
}

export function tensorProto(t: EncodeTensor): onnxProto.onnx.ITensorProto {
  const n = t.values.length;
  let raw: Uint8Array;
  switch (t.dataType) {
    case DT.FLOAT: raw = new Uint8Array(Float32Array.from(t.values).buffer); break;
    case DT.DOUBLE: raw = new Uint8Array(Float64Array.from(t.values).buffer); break;
    case DT.INT8: raw = new Uint8Array(Int8Array.from(t.values).buffer); break;
    case DT.UINT8: raw = Uint8Array.from(t.values); break;
    case DT.INT32: raw = new Uint8Array(Int32Array.from(t.values).buffer); break;
    case DT.INT64: {
      const b = new BigInt64Array(n);
      for (let i = 0; i < n; i++) b[i] = BigInt(t.values[i]!);
      raw = new Uint8Array(b.buffer);
      break;
    }
  }
  return { name: t.name, dims: [...t.dims], dataType: t.dataType, rawData: raw };
}

export type EncodeAttribute = number | readonly number[] | string | { readonly float: number } | { readonly floats: readonly number[] } | { readonly tensor: EncodeTensor };

function attributeProto(name: string, v: EncodeAttribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as readonly number[])] };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  if ('tensor' in v) return { name, type: T.TENSOR, t: tensorProto(v.tensor) };
  throw new Error('attributeProto: unreachable');
}

export interface EncodeNode {
  readonly opType: string;
  /** Operator domain ("" = ONNX's own), e.g. "qonnx.custom_op.general". */
  readonly domain?: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, EncodeAttribute>>;
}

export interface EncodeModel {
  readonly graphName: string;
  readonly opset: number;
  readonly input: { readonly name: string; readonly dims: readonly number[] };
  readonly output: { readonly name: string; readonly dims: readonly number[] };
  readonly nodes: readonly EncodeNode[];
  readonly initializers: readonly EncodeTensor[];
  readonly metadata: ReadonlyMap<string, string>;
  /** Element type of the graph input and output (FLOAT unless the tensors are DOUBLE). */
  readonly elemType?: number;
}

const valueInfo = (name: string, dims: readonly number[], elemType: number): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

export function encodeModel(m: EncodeModel): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'pikehdl',
    opsetImport: [{ domain: '', version: m.opset }, ...[...new Set(m.nodes.flatMap((n) => (n.domain ? [n.domain] : [])))].map((domain) => ({ domain, version: 1 }))],
    metadataProps: [...m.metadata].map(([key, value]) => ({ key, value })),
    graph: {
      name: m.graphName,
      node: m.nodes.map((n) => ({
        opType: n.opType,
        ...(n.domain ? { domain: n.domain } : {}),
        name: n.name,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attributeProto(k, v)),
      })),
      initializer: m.initializers.map(tensorProto),
      input: [valueInfo(m.input.name, m.input.dims, m.elemType ?? DT.FLOAT)],
      output: [valueInfo(m.output.name, m.output.dims, m.elemType ?? DT.FLOAT)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
