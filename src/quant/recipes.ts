/**
 * Quantization recipes as data: what `compile` produces and what the ACEv2
 * cost model (src/cost) tallies. A recipe says the MAC precision, how weights
 * are quantized, and, for every elementwise stage after the accumulator,
 * whether it stays floating point or becomes integer and at which width.
 *
 * The elementwise path of a conv/dense layer, per output channel c, is the
 * ideal y_c = a_c*acc + b_c (batch norm, bias and all scales folded, in output
 * LSBs), then the activation, rounding and saturation. Which parts are integer
 * (docs/semantics.md section 6; elementwisePlan.ts lists the stages exactly):
 *
 *   techniques.quantNorm    batch norm -> n = acc*M_c + B_c, M_c unsigned,
 *                           quantNorm.multiplierBits wide (else fp32 multiply + add)
 *   techniques.doubleQuant  the remaining scale -> t = n*Q (Q unsigned,
 *                           doubleQuant.scaleBits wide, one shift per layer)
 *                           (else one fp32 multiply)
 *   techniques.quantizedPrelu  PReLU -> roundShift(t*P_c, Sp) on negatives, P_c
 *                           signed prelu.slopeBits wide (else fp32 multiply)
 *   techniques.dhq          weights of depthwise / pointwise layers each get the
 *                           scheme their statistics favour (else `weightScheme`)
 *
 * Integer stages run first; the first fp32 stage keeps every later one fp32.
 * With both QuantNorm and Double Quantization off, batch norm (fp32 multiply
 * + add) and quantization scaling (fp32 multiply) stay separate, as in a
 * conventional low-precision model. ReLU/ReLU6 are saturation bounds.
 * `requantizer: 'tflite'` replaces all of it with TFLite's fixed point (BN
 * folded into a 32-bit multiplier and an int32 bias, gemmlowp rounding).
 */
import type { RoundingMode } from '../arith/index.ts';

export const RECIPE_NAMES = ['float32', 'conventional4', 'pikelpn', 'tflite8'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

export type Granularity = 'per-tensor' | 'per-channel';
/** How the clipping threshold (the largest represented magnitude) is chosen:
 *  max |w|; the threshold minimising mean squared error; or a percentile of |w|. */
export type ClippingRule = 'max' | 'mse' | 'percentile';

export interface WeightScheme {
  readonly granularity: Granularity;
  readonly clipping: ClippingRule;
  /** For clipping 'percentile': the percentile of |w| used as the threshold (e.g. 99.9). */
  readonly percentile?: number;
  /** Round scales up to a power of two (shift-only dequantization). */
  readonly powerOfTwoScale: boolean;
}

export interface Techniques {
  /** Batch norm becomes an integer per-channel multiplier and offset. */
  readonly quantNorm: boolean;
  /** Quantization scaling factors become a low-bit integer times a power of two. */
  readonly doubleQuant: boolean;
  /** Depthwise and pointwise weights each get their own scheme (Distribution-Heterogeneous Quantization). */
  readonly dhq: boolean;
  /** PReLU slopes become small integers and a shift. */
  readonly quantizedPrelu: boolean;
}

export interface Recipe {
  readonly name: RecipeName;
  readonly description: string;
  /** 'float': no quantization at all (fp32 MACs and elementwise); 'integer': integer MACs. */
  readonly mac: 'float' | 'integer';
  /** Width of every stage that stays floating point. */
  readonly floatBits: 32;
  /** Default widths when a layer does not give weightBits/activationBits. */
  readonly weightBits: number;
  readonly activationBits: number;
  /** Widths of the first and the last weighted layer (a common choice: 8), or null to treat them like the rest. */
  readonly edgeLayers: { readonly weightBits: number; readonly activationBits: number } | null;
  /** Width of the network's final output (the logits). */
  readonly outputBits: number;
  /** Weight quantization when DHQ is off (one homogeneous scheme for every layer). */
  readonly weightScheme: WeightScheme;
  /** DHQ's schemes: depthwise layers; pointwise (1x1 conv2d) layers; other weighted layers use `weightScheme`. */
  readonly dhq: { readonly depthwise: WeightScheme; readonly pointwise: WeightScheme };
  readonly techniques: Techniques;
  readonly quantNorm: { readonly multiplierBits: number };
  readonly doubleQuant: { readonly scaleBits: number };
  readonly prelu: { readonly slopeBits: number };
  /** 'stages': the norm/scale/activation path above; 'tflite': gemmlowp fixed point with a 32-bit multiplier. */
  readonly requantizer: 'stages' | 'tflite';
  /** Rounding of every integer rounding shift. */
  readonly rounding: RoundingMode;
  /** Activation quantization range: max observed over calibration, or a percentile of it. */
  readonly activationClipping: { readonly rule: 'max' | 'percentile'; readonly percentile?: number };
}

const perChannelMax: WeightScheme = Object.freeze({ granularity: 'per-channel', clipping: 'max', powerOfTwoScale: false });
const perChannelMse: WeightScheme = Object.freeze({ granularity: 'per-channel', clipping: 'mse', powerOfTwoScale: false });
const perTensorMax: WeightScheme = Object.freeze({ granularity: 'per-tensor', clipping: 'max', powerOfTwoScale: false });

const ALL_OFF: Techniques = Object.freeze({ quantNorm: false, doubleQuant: false, dhq: false, quantizedPrelu: false });

export const RECIPES: Readonly<Record<RecipeName, Recipe>> = Object.freeze({
  float32: Object.freeze({
    name: 'float32',
    description: 'Full precision: fp32 MACs and fp32 elementwise operations; the accuracy reference.',
    mac: 'float',
    floatBits: 32,
    weightBits: 8,
    activationBits: 8,
    edgeLayers: null,
    outputBits: 8,
    weightScheme: perTensorMax,
    dhq: Object.freeze({ depthwise: perTensorMax, pointwise: perTensorMax }),
    techniques: ALL_OFF,
    quantNorm: Object.freeze({ multiplierBits: 16 }),
    doubleQuant: Object.freeze({ scaleBits: 16 }),
    prelu: Object.freeze({ slopeBits: 8 }),
    requantizer: 'stages',
    rounding: 'rne',
    activationClipping: Object.freeze({ rule: 'max' }),
  }),
  conventional4: Object.freeze({
    name: 'conventional4',
    description:
      'A conventional low-precision model: 4-bit weights and activations, integer MACs, but batch norm, quantization scaling and PReLU in fp32 (8-bit first and last layers).',
    mac: 'integer',
    floatBits: 32,
    weightBits: 4,
    activationBits: 4,
    edgeLayers: Object.freeze({ weightBits: 8, activationBits: 8 }),
    outputBits: 8,
    weightScheme: perChannelMax,
    dhq: Object.freeze({ depthwise: perChannelMax, pointwise: perChannelMax }),
    techniques: ALL_OFF,
    quantNorm: Object.freeze({ multiplierBits: 8 }),
    doubleQuant: Object.freeze({ scaleBits: 8 }),
    prelu: Object.freeze({ slopeBits: 8 }),
    requantizer: 'stages',
    rounding: 'rnu',
    activationClipping: Object.freeze({ rule: 'max' }),
  }),
  pikelpn: Object.freeze({
    name: 'pikelpn',
    description:
      'PikeLPN: 4-bit weights and activations with every elementwise stage integer: QuantNorm (8-bit multipliers), Double Quantization (8-bit scale), DHQ, quantized PReLU slopes (8-bit first and last layers).',
    mac: 'integer',
    floatBits: 32,
    weightBits: 4,
    activationBits: 4,
    edgeLayers: Object.freeze({ weightBits: 8, activationBits: 8 }),
    outputBits: 8,
    weightScheme: perChannelMax,
    dhq: Object.freeze({ depthwise: perChannelMax, pointwise: perChannelMse }),
    techniques: Object.freeze({ quantNorm: true, doubleQuant: true, dhq: true, quantizedPrelu: true }),
    quantNorm: Object.freeze({ multiplierBits: 8 }),
    doubleQuant: Object.freeze({ scaleBits: 8 }),
    prelu: Object.freeze({ slopeBits: 8 }),
    requantizer: 'stages',
    rounding: 'rnu',
    activationClipping: Object.freeze({ rule: 'max' }),
  }),
  tflite8: Object.freeze({
    name: 'tflite8',
    description:
      'The TFLite int8 baseline: 8-bit per-channel weights, 8-bit activations, batch norm folded into a 32-bit fixed-point multiplier per channel and an int32 bias (gemmlowp rounding).',
    mac: 'integer',
    floatBits: 32,
    weightBits: 8,
    activationBits: 8,
    edgeLayers: null,
    outputBits: 8,
    weightScheme: perChannelMax,
    dhq: Object.freeze({ depthwise: perChannelMax, pointwise: perChannelMax }),
    techniques: Object.freeze({ quantNorm: false, doubleQuant: false, dhq: false, quantizedPrelu: true }),
    quantNorm: Object.freeze({ multiplierBits: 32 }),
    doubleQuant: Object.freeze({ scaleBits: 32 }),
    prelu: Object.freeze({ slopeBits: 8 }),
    requantizer: 'tflite',
    rounding: 'rna',
    activationClipping: Object.freeze({ rule: 'max' }),
  }),
});

/** A recipe with some techniques switched (for ablations: `--no-quantnorm` etc.). */
export function withTechniques(recipe: Recipe, changes: Partial<Techniques>): Recipe {
  return Object.freeze({ ...recipe, techniques: Object.freeze({ ...recipe.techniques, ...changes }) });
}

export function isRecipeName(s: string): s is RecipeName {
  return (RECIPE_NAMES as readonly string[]).includes(s);
}

export function getRecipe(name: string): Recipe {
  if (!isRecipeName(name)) throw new RangeError(`recipe "${name}" is unknown: choose one of ${RECIPE_NAMES.join(', ')}`);
  return RECIPES[name];
}
