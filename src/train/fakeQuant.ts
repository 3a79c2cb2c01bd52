/**
 * Fake quantization for quantization-aware training, with straight-through
 * estimators (STE). The forward pass uses the SAME quantizers as the compiler
 * (src/quant's quantizeTensor for weights; the activation grid of
 * src/quant/calibrate.ts with src/arith's roundFloat): one rounding rule.
 *
 *   weights:      symmetric, with the scheme the target recipe's compiler will
 *                 use (conventional4: per-channel 'max' everywhere; pikelpn:
 *                 DHQ's choice for depthwise/pointwise tensors); the gradient
 *                 passes straight through to the float weights.
 *   activations:  unsigned, after ReLU: q = clamp(roundFloat(x / s, 'rne'), 0, 2^b - 1),
 *                 s = clip / (2^b - 1) (calibrate.ts with outputRange {0, clip});
 *                 the gradient passes where 0 < x < clip (ReLU and clip in one).
 *
 * Rounding: roundFloat 'rne' (half to even), as quantizeTensor and
 * quantizeInput use. The integer network's requantizer rounds its (integer)
 * accumulator with the recipe's mode (pikelpn/conventional4: 'rnu'); the two
 * differ only on exact ties, which a float pre-activation almost never hits.
 */
import { clampNumber, roundFloat } from '../arith/index.ts';
import { dequantize, quantizeTensor, type TensorLayout, type QuantizerSpec, type WeightScheme } from '../quant/index.ts';

export const PER_CHANNEL_MAX: WeightScheme = Object.freeze({ granularity: 'per-channel', clipping: 'max', powerOfTwoScale: false });

export function weightSpec(bits: number, scheme: WeightScheme = PER_CHANNEL_MAX): QuantizerSpec {
  return { bits, symmetric: true, ...scheme };
}

/** out = dequantize(quantize(w)) with the compiler's quantizer (per step, not per element: allocates once); returns the scales (one, or one per channel). */
export function fakeQuantWeights(w: Float64Array, layout: TensorLayout, bits: number, out: Float64Array, scheme: WeightScheme = PER_CHANNEL_MAX): ArrayLike<number> {
  const q = quantizeTensor(w, layout, weightSpec(bits, scheme));
  out.set(dequantize(q));
  return q.scales;
}

/** y = s * clamp(roundFloat(x / s), 0, 2^bits - 1) with s = clip / (2^bits - 1). */
export function fakeQuantActivationForward(x: Float64Array, y: Float64Array, clip: number, bits: number, len: number): void {
  const qmax = 2 ** bits - 1;
  const s = clip / qmax;
  for (let i = 0; i < len; i++) y[i] = s * clampNumber(roundFloat(x[i]! / s, 'rne'), 0, qmax);
}

/** STE: dx = dy where 0 < x < clip, else 0. */
export function fakeQuantActivationBackward(x: Float64Array, dy: Float64Array, dx: Float64Array, clip: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    dx[i] = v > 0 && v < clip ? dy[i]! : 0;
  }
}

/** The p-th percentile (0 < p <= 100) of the positive values among the first `len` of x (0 if none). */
export function positivePercentile(x: Float64Array, len: number, p: number): number {
  const pos: number[] = [];
  for (let i = 0; i < len; i++) if (x[i]! > 0) pos.push(x[i]!);
  if (pos.length === 0) return 0;
  pos.sort((a, b) => a - b);
  return pos[Math.min(pos.length - 1, Math.max(0, Math.ceil((p / 100) * pos.length) - 1))]!;
}
