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
 * x clipping rule) quantizes the tensor and the one with the least normalised
 * squared error wins; a per-tensor scheme wins ties and near-ties (within
 * `perTensorTolerance`, default 2%) because one scale is cheaper in hardware.
 * The statistics that explain the choice are returned with it.
 */
import type { ClippingRule, Granularity, WeightScheme } from './recipes.ts';
import { quantizeTensor, quantizationError, type QuantizerSpec, type TensorLayout, channelGroups } from './quantizer.ts';

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
  readonly nmse: number;
  readonly statistics: TensorStatistics;
  /** Every candidate's error, for reports. */
  readonly candidates: readonly { readonly scheme: WeightScheme; readonly nmse: number }[];
}

export function chooseWeightScheme(w: ArrayLike<number>, layout: TensorLayout, bits: number, perTensorTolerance = 0.02): DhqChoice {
  const candidates = DHQ_CANDIDATES.map((c) => {
    const scheme: WeightScheme = { granularity: c.granularity, clipping: c.clipping, powerOfTwoScale: false };
    const spec: QuantizerSpec = { bits, symmetric: true, ...scheme };
    return { scheme, nmse: quantizationError(w, quantizeTensor(w, layout, spec)).nmse };
  });
  const bestAll = Math.min(...candidates.map((c) => c.nmse));
  const perTensor = candidates.filter((c) => c.scheme.granularity === 'per-tensor').sort((a, b) => a.nmse - b.nmse)[0]!;
  const chosen =
    perTensor.nmse <= bestAll * (1 + perTensorTolerance) ? perTensor : candidates.reduce((b, c) => (c.nmse < b.nmse ? c : b));
  return { scheme: chosen.scheme, nmse: chosen.nmse, statistics: tensorStatistics(w, layout), candidates };
}
