/**
 * What a pikehdl float network holds that an ONNX graph does not: per-layer
 * bit widths and output ranges, the input's value range, the network name,
 * and which defaulted fields the file spelled out. `pikehdl export` stores
 * them as JSON in the model's metadata_props (key `pikehdl.float-network`),
 * Netron shows them, and `pikehdl import` puts them back, so
 * import(export(net)) is the same file. The graph stays the source of truth
 * for structure and tensors: an annotation that disagrees with the graph (the
 * file was edited) is ignored for that layer.
 */
import { z } from 'zod';
import { DEFAULT_BN_EPSILON, type FloatNetwork } from '../model/index.ts';

export const ANNOTATION_KEY = 'pikehdl.float-network';

/** Layer fields the graph cannot carry. */
const EXTRA_FIELDS = ['weightBits', 'activationBits', 'outputBits', 'outputRange'] as const;

const layerAnnotation = z.object({
  op: z.string().optional(),
  keys: z.array(z.string()),
  extra: z.record(z.string(), z.unknown()),
  bnKeys: z.array(z.string()).optional(),
  /** The exact batch-norm epsilon (ONNX's attribute is fp32). */
  bnEpsilon: z.number().optional(),
});
const annotationsSchema = z.object({
  name: z.string(),
  inputKeys: z.array(z.string()),
  inputRange: z.object({ min: z.number(), max: z.number() }).optional(),
  layers: z.record(z.string(), layerAnnotation),
});
export type Annotations = z.infer<typeof annotationsSchema>;

export function makeAnnotations(net: FloatNetwork): Annotations {
  const layers: Annotations['layers'] = {};
  for (const l of net.layers) {
    const extra: Record<string, unknown> = {};
    const fields: Readonly<Record<string, unknown>> = l;
    for (const k of EXTRA_FIELDS) if (fields[k] !== undefined) extra[k] = fields[k];
    const bn = 'batchNorm' in l && typeof l.batchNorm === 'object' ? l.batchNorm : undefined;
    layers[l.name] = { op: l.op, keys: Object.keys(l), extra, ...(bn ? { bnKeys: Object.keys(bn), ...(bn.epsilon !== undefined ? { bnEpsilon: bn.epsilon } : {}) } : {}) };
  }
  return { name: net.name, inputKeys: Object.keys(net.input), ...(net.input.range ? { inputRange: net.input.range } : {}), layers };
}

/** Parse the metadata value; a malformed one is ignored (undefined), since the graph alone is a valid import. */
export function parseAnnotations(text: string | undefined): Annotations | undefined {
  if (text === undefined) return undefined;
  try {
    const r = annotationsSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

interface RawNetwork {
  name: string;
  input: Record<string, unknown>;
  layers: Record<string, unknown>[];
  [k: string]: unknown;
}

export function applyAnnotations<T extends RawNetwork>(raw: T, a: Annotations): T {
  const input: Record<string, unknown> = {};
  for (const k of a.inputKeys) {
    if (k === 'range') {
      if (a.inputRange) input.range = a.inputRange;
    } else if (k in raw.input) input[k] = raw.input[k];
  }
  for (const k of Object.keys(raw.input)) if (!(k in input)) input[k] = raw.input[k];
  const layers = raw.layers.map((l0, i) => {
    const ann = a.layers[String(l0.name)];
    if (ann === undefined) return l0;
    let l = l0;
    // A one-channel depthwise convolution is a one-channel convolution in ONNX (group 1 = channels 1):
    // same weights in the same order, so the annotation decides which one the file had.
    if (ann.op === 'depthwiseConv2d' && l.op === 'conv2d' && l.outChannels === 1) {
      const { outChannels: _drop, ...rest } = l;
      l = { ...rest, op: 'depthwiseConv2d' };
    }
    const prev = i === 0 ? 'input' : String(raw.layers[i - 1]!.name);
    if (Object.keys(l).some((k) => !ann.keys.includes(k))) return l;
    const out: Record<string, unknown> = {};
    for (const k of ann.keys) {
      if (k in ann.extra) out[k] = ann.extra[k];
      else if (k in l) {
        const v = l[k];
        out[k] = k === 'batchNorm' && ann.bnKeys && isRecord(v) ? reorderBn(v, ann.bnKeys, ann.bnEpsilon) : v;
      }
      else if (k === 'input') out[k] = prev;
      else if (k === 'stride') out[k] = l.op === 'avgPool' || l.op === 'maxPool' ? l.kernel : 1;
      else if (k === 'padding') out[k] = 0;
      else if (k === 'activation') out[k] = { kind: 'none' };
      else return l; // a field the graph lost: the annotation does not describe this graph
    }
    return out;
  });
  return { ...raw, name: a.name, input, layers };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function reorderBn(bn: Record<string, unknown>, keys: readonly string[], epsilon: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in bn) out[k] = k === 'epsilon' && epsilon !== undefined && Math.fround(epsilon) === Math.fround(Number(bn[k])) ? epsilon : bn[k];
  // An omitted epsilon is the default: keep it omitted only when the graph's value is the default.
  if (!keys.includes('epsilon') && bn.epsilon !== DEFAULT_BN_EPSILON) out.epsilon = bn.epsilon;
  return out;
}
