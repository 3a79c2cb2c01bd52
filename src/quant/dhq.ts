/**
 * Distribution-Heterogeneous Quantization (DHQ): each weight tensor gets the
 * scheme that suits its own distribution, instead of one scheme for every
 * layer. In a separable block the two tensors differ sharply:
 *   depthwise: few weights per channel (k*k = 9) and a wide channel-to-channel
 *              spread of magnitudes -> per-channel scales matter most;
 *   pointwise: many weights per channel in a narrow bell with rare large
 *              values -> clipping the tails (MSE-optimal threshold) matters most.
 *
 * The choice is made from the tensor itself, at the bits the recipe gives
 * (bits are equal across the comparison): every candidate scheme (granularity
 * x clipping rule) quantizes the tensor and the one with the least expected
 * OUTPUT error wins; a per-tensor scheme wins near-ties (within
 * `perTensorTolerance`, default 2%) because one scale is cheaper in hardware.
 *
 * Why output error rather than weight error: an output is a dot product over
 * one channel's weights with post-ReLU inputs, whose mean mu is not zero. For
 * weight errors e_k and iid inputs of mean mu and variance v the expected
 * squared output error is v*sum(e_k^2) + mu^2*(sum e_k)^2: rounding errors
 * (random sign) mostly cancel in the second term, a clipping error (same sign
 * as the weight) does not. With 9 weights per channel that bias decides, so
 * depthwise tensors tend to keep `max`; with hundreds of weights per channel
 * the tails' rounding error decides, so pointwise tensors clip (`mse`).
 * Inputs are taken as the positive half of a unit normal (ReLU of N(0,1)):
 * mu = sqrt(2/pi), v = 1 - 2/pi. Both terms are normalised by the same
 * expression of the float weights (the expected squared output).
 */
import type { ClippingRule, Granularity, WeightScheme } from './recipes.ts';
import { quantizeTensor, dequantize, type QuantizedTensor, type QuantizerSpec, type TensorLayout, channelGroups } from './quantizer.ts';

const RELU_MEAN = Math.sqrt(2 / Math.PI);
const RELU_VARIANCE = 1 - 2 / Math.PI;

/** Expected squared output error / expected squared output, for post-ReLU N(0,1) inputs. */
export function expectedOutputError(w: ArrayLike<number>, approx: ArrayLike<number>, layout: TensorLayout): number {
  let err = 0;
  let ref = 0;
  for (const g of channelGroups(w.length, layout, 'per-channel')) {
    let sq = 0;
    let sum = 0;
    let wsq = 0;
    let wsum = 0;
    for (const i of g) {
      const e = w[i]! - approx[i]!;
      sq += e * e;
      sum += e;
      wsq += w[i]! * w[i]!;
      wsum += w[i]!;
    }
    err += RELU_VARIANCE * sq + RELU_MEAN * RELU_MEAN * sum * sum;
    ref += RELU_VARIANCE * wsq + RELU_MEAN * RELU_MEAN * wsum * wsum;
  }
  return ref === 0 ? 0 : err / ref;
}

export interface TensorStatistics {
  readonly count: number;
  readonly weightsPerChannel: number;
  /** max_c(max|w_c|) / median_c(max|w_c|): how unequal the channels are. */
  readonly channelSpread: number;
  /** Excess kurtosis of all weights: 0 for a Gaussian, > 0 for heavy tails. */
  readonly excessKurtosis: number;
}

export function tensorStatistics(w: ArrayLike<number>, layout: TensorLayout): TensorStatistics {
  const groups = channelGroups(w.length, layout, 'per-channel');
  const maxes = groups.map((g) => g.reduce((m, i) => Math.max(m, Math.abs(w[i]!)), 0)).sort((a, b) => a - b);
  const median = maxes[Math.floor((maxes.length - 1) / 2)]!;
  let mean = 0;
  for (let i = 0; i < w.length; i++) mean += w[i]!;
  mean /= Math.max(1, w.length);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < w.length; i++) {
    const d = w[i]! - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= Math.max(1, w.length);
  m4 /= Math.max(1, w.length);
  return {
    count: w.length,
    weightsPerChannel: w.length / layout.channels,
    channelSpread: median === 0 ? (maxes[maxes.length - 1]! === 0 ? 1 : Infinity) : maxes[maxes.length - 1]! / median,
    excessKurtosis: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
  };
}

export const DHQ_CANDIDATES: readonly { granularity: Granularity; clipping: ClippingRule }[] = Object.freeze([
  { granularity: 'per-tensor', clipping: 'max' },
  { granularity: 'per-tensor', clipping: 'mse' },
  { granularity: 'per-channel', clipping: 'max' },
  { granularity: 'per-channel', clipping: 'mse' },
]);

export interface DhqChoice {
  readonly scheme: WeightScheme;
  /** expectedOutputError of the chosen scheme. */
  readonly error: number;
  readonly statistics: TensorStatistics;
  /** Every candidate's error, for reports. */
  readonly candidates: readonly { readonly scheme: WeightScheme; readonly error: number }[];
  /** The tensor quantized with the chosen scheme (the compiler uses it instead of quantizing again: an MSE search is the compile's costliest step). */
  readonly quantized: QuantizedTensor;
}

export function chooseWeightScheme(w: ArrayLike<number>, layout: TensorLayout, bits: number, perTensorTolerance = 0.02): DhqChoice {
  const candidates = DHQ_CANDIDATES.map((c) => {
    const scheme: WeightScheme = { granularity: c.granularity, clipping: c.clipping, powerOfTwoScale: false };
    const spec: QuantizerSpec = { bits, symmetric: true, ...scheme };
    const quantized = quantizeTensor(w, layout, spec);
    return { scheme, error: expectedOutputError(w, dequantize(quantized), layout), quantized };
  });
  const bestAll = Math.min(...candidates.map((c) => c.error));
  const perTensor = candidates.filter((c) => c.scheme.granularity === 'per-tensor').sort((a, b) => a.error - b.error)[0]!;
  const chosen =
    perTensor.error <= bestAll * (1 + perTensorTolerance) ? perTensor : candidates.reduce((b, c) => (c.error < b.error ? c : b));
  return {
    scheme: chosen.scheme,
    error: chosen.error,
    statistics: tensorStatistics(w, layout),
    candidates: candidates.map((c) => ({ scheme: c.scheme, error: c.error })),
    quantized: chosen.quantized,
  };
}
