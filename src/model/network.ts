/**
 * The float network file (JSON, `"format": "pikehdl-float-network"`): layers,
 * shapes, float weights, batch-norm statistics, activation parameters and
 * per-layer bit widths. It is what training produces and what `compile`
 * (src/quant) turns into an integer network.
 *
 * Layouts (all row-major, last index fastest; activations are NHWC without N):
 *   conv2d           weights [outC][kh][kw][inC], bias [outC]
 *   depthwiseConv2d  weights [kh][kw][C],          bias [C]   (channel multiplier 1)
 *   dense            weights [outF][inF],          bias [outF], input flattened in H,W,C order
 *   batchNorm.*      [C] (C = the layer's output channels), applied after bias
 *   prelu.slopes     [C]
 *
 * Precision: `weightBits` is the width of this layer's weights and
 * `activationBits` the width of this layer's INPUT activations (the other MAC
 * operand, as in ACE's MACs x w_bits x a_bits). Either may be absent: the
 * recipe decides. A file without `weights` is architecture-only (enough for
 * shape inference and cost analysis): then `batchNorm` is `true` and PReLU
 * slopes are omitted. A file is either fully weighted or architecture-only.
 *
 * Structural rules are in this zod schema; rules that need the whole network
 * (names unique, references to earlier layers, tensor lengths, shapes agreeing
 * for `add`) are in networkRules.ts, run from the schema's superRefine, so one
 * parse reports every problem with its JSON path.
 */
import { z } from 'zod';
import { bnEpsilon, floatParam, floatParamArray, floatVariance, intIn, layerName, layerRef } from './schemaParts.ts';
import { checkNetworkRules } from './networkRules.ts';

export const FLOAT_NETWORK_FORMAT = 'pikehdl-float-network';
export const FLOAT_NETWORK_VERSION = 1;

/** Bit widths a weight or activation may have (1 = binary, 2 = ternary when symmetric). */
export const MIN_BITS = 1;
export const MAX_BITS = 8;

const bits = intIn(MIN_BITS, MAX_BITS);
const dim = intIn(1, 1 << 16);

const valueRange = z
  .object({ min: floatParam, max: floatParam })
  .strict()
  .superRefine((r, ctx) => {
    if (!(r.min < r.max)) ctx.addIssue({ code: 'custom', message: `expected min < max, got min ${r.min}, max ${r.max}` });
  });

const batchNormStats = z
  .object({
    gamma: floatParamArray,
    beta: floatParamArray,
    mean: floatParamArray,
    variance: z.array(floatVariance),
    epsilon: bnEpsilon.optional(),
  })
  .strict();

const activation = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }).strict(),
    z.object({ kind: z.literal('relu') }).strict(),
    z.object({ kind: z.literal('relu6') }).strict(),
    z.object({ kind: z.literal('prelu'), slopes: floatParamArray.optional() }).strict(),
  ],
  { error: () => 'expected activation kind "none", "relu", "relu6" or "prelu"' },
);

/** Fields every layer with weights shares. */
const weightedFields = {
  name: layerName,
  input: layerRef.optional(),
  weightBits: bits.optional(),
  activationBits: bits.optional(),
  /** Width of this layer's output when no later layer consumes it (default 8). */
  outputBits: bits.optional(),
  weights: floatParamArray.optional(),
  bias: floatParamArray.optional(),
  batchNorm: z.union([batchNormStats, z.literal(true)], { error: () => 'expected batch-norm statistics {gamma, beta, mean, variance} or true (architecture-only)' }).optional(),
  activation: activation.optional(),
  /** Float range of the output, from QAT clipping or calibration; compile calibrates when absent. */
  outputRange: valueRange.optional(),
  /**
   * The weight scheme DHQ uses for this (depthwise or pointwise) tensor when a
   * recipe has DHQ on: the one QAT trained with. Absent: DHQ chooses from the weights.
   * Other layers (and recipes without DHQ) use the recipe's scheme.
   */
  dhqScheme: z
    .object({ granularity: z.enum(['per-tensor', 'per-channel']), clipping: z.enum(['max', 'mse']) }, { error: () => 'expected {granularity: "per-tensor" | "per-channel", clipping: "max" | "mse"}' })
    .strict()
    .optional(),
};

const convFields = {
  ...weightedFields,
  kernel: intIn(1, 15),
  stride: intIn(1, 8).optional(),
  padding: intIn(0, 14).optional(),
};

const conv2d = z.object({ op: z.literal('conv2d'), outChannels: dim, ...convFields }).strict();
const depthwiseConv2d = z.object({ op: z.literal('depthwiseConv2d'), ...convFields }).strict();
const dense = z.object({ op: z.literal('dense'), outFeatures: dim, ...weightedFields }).strict();
const avgPool = z
  .object({
    op: z.literal('avgPool'),
    name: layerName,
    input: layerRef.optional(),
    kernel: z.union([z.literal('global'), intIn(1, 64)], { error: () => 'expected "global" or an integer from 1 to 64' }),
    stride: intIn(1, 64).optional(),
    /** Symmetric padding below the kernel (default 0); padded positions are left out of the average (ONNX count_include_pad = 0). */
    padding: intIn(0, 63).optional(),
    activationBits: bits.optional(),
    outputBits: bits.optional(),
    outputRange: valueRange.optional(),
  })
  .strict();
/** Max pooling: padded positions never win (docs/semantics.md, "Max pooling"); stride defaults to the kernel. */
const maxPool = z
  .object({
    op: z.literal('maxPool'),
    name: layerName,
    input: layerRef.optional(),
    kernel: intIn(1, 64),
    stride: intIn(1, 64).optional(),
    padding: intIn(0, 63).optional(),
    activationBits: bits.optional(),
    outputBits: bits.optional(),
    outputRange: valueRange.optional(),
  })
  .strict();
const add = z
  .object({
    op: z.literal('add'),
    name: layerName,
    input: layerRef.optional(),
    with: layerRef,
    activation: activation.optional(),
    activationBits: bits.optional(),
    outputBits: bits.optional(),
    outputRange: valueRange.optional(),
  })
  .strict();

export const LAYER_OPS = ['conv2d', 'depthwiseConv2d', 'dense', 'avgPool', 'maxPool', 'add'] as const;

const layer = z.discriminatedUnion('op', [conv2d, depthwiseConv2d, dense, avgPool, maxPool, add], {
  error: () => `expected op ${LAYER_OPS.map((o) => `"${o}"`).join(', ')}`,
});

const networkObject = z
  .object({
    format: z.literal(FLOAT_NETWORK_FORMAT, { error: () => `expected "${FLOAT_NETWORK_FORMAT}"` }),
    version: z.literal(FLOAT_NETWORK_VERSION, { error: () => `expected version ${FLOAT_NETWORK_VERSION}` }),
    name: z.string(),
    input: z
      .object({
        height: dim,
        width: dim,
        channels: dim,
        /** Float range of the input values; default {min: 0, max: 1}. */
        range: valueRange.optional(),
      })
      .strict(),
    layers: z.array(layer).min(1, { error: 'a network needs at least one layer' }),
  })
  .strict();

export const floatNetworkSchema = networkObject.superRefine((net, ctx) => {
  for (const issue of checkNetworkRules(net)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  // Cross-layer rules assume every field is well-formed: run them only then.
}, { when: (payload) => payload.issues.length === 0 });

export type FloatNetwork = z.infer<typeof networkObject>;
export type FloatLayer = FloatNetwork['layers'][number];
export type Conv2dLayer = z.infer<typeof conv2d>;
export type DepthwiseConv2dLayer = z.infer<typeof depthwiseConv2d>;
export type DenseLayer = z.infer<typeof dense>;
export type AvgPoolLayer = z.infer<typeof avgPool>;
export type MaxPoolLayer = z.infer<typeof maxPool>;
export type AddLayer = z.infer<typeof add>;
export type Activation = z.infer<typeof activation>;
export type BatchNormStats = z.infer<typeof batchNormStats>;
export type ValueRange = z.infer<typeof valueRange>;
export type LayerOp = FloatLayer['op'];

/** Default batch-norm epsilon when the file omits it (PyTorch's and Keras' 1e-3 differ; we take PyTorch's). */
export const DEFAULT_BN_EPSILON = 1e-5;
