/**
 * The integer network file (JSON, `"format": "pikehdl-int-network"`): what
 * `compile` (src/quant) produces and `runInt` (src/ref) and the RTL execute.
 * Everything the hardware needs is here: integer weights, per-channel
 * multipliers and offsets, shifts, widths, rounding modes, and the fp32
 * constants of any stage a recipe leaves in floating point (stored as values
 * exactly representable in fp32).
 *
 * Tensors are zero-point-free: a tensor of `bits` bits holds integers q in the
 * signed or unsigned range, real value = scale * q. Layouts are those of the
 * float network (src/model/network.ts). Per-channel arrays of length 1 apply
 * to every channel.
 *
 * The per-element semantics of `requant` are in docs/semantics.md ("Layer
 * pipelines"); src/ref/requantStages.ts executes them.
 */
import { z } from 'zod';
import { ROUNDING_MODES } from '../arith/index.ts';
import { finite, intIn, layerName, layerRef, positive } from './schemaParts.ts';
import { checkIntNetworkRules } from './intNetworkRules.ts';

export const INT_NETWORK_FORMAT = 'pikehdl-int-network';
export const INT_NETWORK_VERSION = 1;

const int = (lo: number, hi: number) => intIn(lo, hi);
const anyInt = int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
const intArray = z.array(anyInt);
/** A number exactly representable in IEEE single precision (fp32 stages). */
const fp32 = finite.superRefine((v, ctx) => {
  if (Math.fround(v) !== v) ctx.addIssue({ code: 'custom', message: `expected an fp32 value, got ${v} (not exactly representable in single precision)` });
});
const fp32Array = z.array(fp32);
const rounding = z.enum(ROUNDING_MODES, { error: () => `expected a rounding mode: ${ROUNDING_MODES.join(', ')}` });

export const tensorSpec = z
  .object({
    bits: int(1, 32),
    signed: z.boolean(),
    /** Real value of one LSB. */
    scale: positive,
  })
  .strict();

/** An output tensor with its saturation bounds (inside the shape: ReLU raises min to 0, ReLU6 lowers max). */
const outputSpec = tensorSpec.extend({ min: anyInt, max: anyInt }).strict();

const intPrelu = z.object({ arithmetic: z.literal('integer'), slopes: intArray, shift: int(0, 62), slopeBits: int(2, 16) }).strict();
const floatPrelu = z.object({ arithmetic: z.literal('float'), slopes: fp32Array }).strict();
const prelu = z.discriminatedUnion('arithmetic', [intPrelu, floatPrelu], { error: () => 'expected arithmetic "integer" or "float"' });

const stagesRequant = z
  .object({
    kind: z.literal('stages'),
    rounding,
    /** Total shift E applied where the integer stages end: roundShift(x, E) into the output, or x * 2^-E into fp32. */
    shift: int(0, 126),
    norm: z
      .discriminatedUnion('arithmetic', [
        z.object({ arithmetic: z.literal('integer'), multipliers: intArray, offsets: intArray, multiplierBits: int(2, 16) }).strict(),
        z.object({ arithmetic: z.literal('float'), multipliers: fp32Array, offsets: fp32Array }).strict(),
      ])
      .optional(),
    scale: z
      .discriminatedUnion('arithmetic', [
        z.object({ arithmetic: z.literal('integer'), multipliers: intArray, offsets: intArray.optional(), scaleBits: int(2, 32) }).strict(),
        z.object({ arithmetic: z.literal('float'), multipliers: fp32Array, offsets: fp32Array.optional() }).strict(),
      ])
      .optional(),
    prelu: prelu.optional(),
  })
  .strict();

const tfliteRequant = z
  .object({
    kind: z.literal('tflite'),
    /** int32 bias added to the accumulator. */
    bias: intArray,
    /** Q31 multipliers in [2^30, 2^31) or 0. */
    multipliers: intArray,
    shifts: z.array(int(-31, 30)),
    prelu: intPrelu.optional(),
  })
  .strict();

const requant = z.discriminatedUnion('kind', [stagesRequant, tfliteRequant], { error: () => 'expected requant kind "stages" or "tflite"' });

const weighted = {
  name: layerName,
  input: layerRef,
  weights: intArray,
  weightBits: int(1, 16),
  /** Real value of one weight LSB per output channel (length 1 or C): informational, for dequantizing. */
  weightScales: z.array(positive),
  accumulator: z.object({ width: int(1, 256), signed: z.boolean() }).strict(),
  requant,
  output: outputSpec,
};
const conv = { ...weighted, kernel: int(1, 15), stride: int(1, 8), padding: int(0, 14) };

const intConv2d = z.object({ op: z.literal('conv2d'), outChannels: int(1, 1 << 16), ...conv }).strict();
const intDepthwise = z.object({ op: z.literal('depthwiseConv2d'), ...conv }).strict();
const intDense = z.object({ op: z.literal('dense'), outFeatures: int(1, 1 << 16), ...weighted }).strict();
const intAvgPool = z
  .object({
    op: z.literal('avgPool'),
    name: layerName,
    input: layerRef,
    kernel: z.union([z.literal('global'), int(1, 64)]),
    stride: int(1, 64),
    /** Absent = 0; padded positions are left out of the average (the divisor counts real inputs only). */
    padding: int(0, 63).optional(),
    rounding,
    output: outputSpec,
  })
  .strict();
/** Max pooling keeps its input tensor (no requant); padded positions never win. */
const intMaxPool = z
  .object({
    op: z.literal('maxPool'),
    name: layerName,
    input: layerRef,
    kernel: int(1, 64),
    stride: int(1, 64),
    padding: int(0, 63),
    output: outputSpec,
  })
  .strict();
const intAdd = z
  .object({
    op: z.literal('add'),
    name: layerName,
    input: layerRef,
    with: layerRef,
    align: z.discriminatedUnion('arithmetic', [
      z.object({ arithmetic: z.literal('integer'), multipliers: z.tuple([anyInt, anyInt]), shift: int(0, 126), scaleBits: int(2, 32), rounding }).strict(),
      z.object({ arithmetic: z.literal('float'), multipliers: z.tuple([fp32, fp32]) }).strict(),
    ]),
    prelu: prelu.optional(),
    output: outputSpec,
  })
  .strict();

const intLayer = z.discriminatedUnion('op', [intConv2d, intDepthwise, intDense, intAvgPool, intMaxPool, intAdd], {
  error: () => 'expected op "conv2d", "depthwiseConv2d", "dense", "avgPool", "maxPool", "add"',
});

const intNetworkObject = z
  .object({
    format: z.literal(INT_NETWORK_FORMAT, { error: () => `expected "${INT_NETWORK_FORMAT}"` }),
    version: z.literal(INT_NETWORK_VERSION, { error: () => `expected version ${INT_NETWORK_VERSION}` }),
    name: z.string(),
    /** Provenance: the recipe and switches that produced this file. */
    recipe: z.object({ name: z.string(), techniques: z.record(z.string(), z.boolean()) }).strict(),
    input: z
      .object({
        height: int(1, 1 << 16),
        width: int(1, 1 << 16),
        channels: int(1, 1 << 16),
        tensor: tensorSpec,
      })
      .strict(),
    layers: z.array(intLayer).min(1, { error: 'a network needs at least one layer' }),
  })
  .strict();

export const intNetworkSchema = intNetworkObject.superRefine((net, ctx) => {
  for (const issue of checkIntNetworkRules(net)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  // Cross-layer rules assume every field is well-formed: run them only then.
}, { when: (payload) => payload.issues.length === 0 });

export type IntNetwork = z.infer<typeof intNetworkObject>;
export type IntLayer = IntNetwork['layers'][number];
export type IntConv2dLayer = z.infer<typeof intConv2d>;
export type IntDepthwiseLayer = z.infer<typeof intDepthwise>;
export type IntDenseLayer = z.infer<typeof intDense>;
export type IntWeightedLayer = IntConv2dLayer | IntDepthwiseLayer | IntDenseLayer;
export type IntAvgPoolLayer = z.infer<typeof intAvgPool>;
export type IntMaxPoolLayer = z.infer<typeof intMaxPool>;
export type IntAddLayer = z.infer<typeof intAdd>;
export type TensorSpec = z.infer<typeof tensorSpec>;
export type OutputSpec = z.infer<typeof outputSpec>;
export type Requant = z.infer<typeof requant>;
export type StagesRequant = z.infer<typeof stagesRequant>;
export type TfliteRequant = z.infer<typeof tfliteRequant>;
export type PreluStage = z.infer<typeof prelu>;
export type IntAlign = IntAddLayer['align'];
