/**
 * The depthwise engine's stream transactions and its timing promise.
 *
 * Input transactions, mode bit on top (in_data[payloadBits]):
 *   mode 1, weight tap: channel ch's weight at [ch*w +: w]. kernel^2 of them,
 *     tap (ky, kx) in raster order, load a full weight set. Accepted only at
 *     an image boundary (before an image's first pixel); a new set applies to
 *     every image after it.
 *   mode 0, pixel: channel ch's activation at [ch*a +: a]; an image is
 *     height x width pixels in raster order (NHWC without batch).
 * Output transaction: one output pixel, channel ch's sum at [ch*acc +: acc],
 * output pixels in raster order. Padding is zero and never sent.
 */
import { fromBits, toBits } from '../../../src/arith/index.ts';
import { type DepthwiseConfig, depthwiseGeometry } from './config.ts';

/** Cycles from the raster position that completes a window to its output handshake. */
export const DEPTHWISE_LATENCY = 2;

export function packDepthwisePixel(c: DepthwiseConfig, activations: readonly bigint[]): bigint {
  const g = depthwiseGeometry(c);
  if (activations.length !== c.channels) throw new RangeError(`packDepthwisePixel: ${activations.length} activations given, channels = ${c.channels}`);
  return activations.reduce((word, x, ch) => word | (toBits(x, g.activation) << BigInt(ch * c.activationBits)), 0n);
}

/** One weight tap (mode bit set): weights[ch] for this tap. */
export function packDepthwiseTap(c: DepthwiseConfig, weights: readonly bigint[]): bigint {
  const g = depthwiseGeometry(c);
  if (weights.length !== c.channels) throw new RangeError(`packDepthwiseTap: ${weights.length} weights given, channels = ${c.channels}`);
  const payload = weights.reduce((word, w, ch) => word | (toBits(w, g.weight) << BigInt(ch * c.weightBits)), 0n);
  return payload | (1n << BigInt(g.payloadBits));
}

export function packDepthwiseOutput(c: DepthwiseConfig, sums: readonly bigint[]): bigint {
  const g = depthwiseGeometry(c);
  return sums.reduce((word, v, ch) => word | (toBits(v, g.acc) << BigInt(ch * g.acc.width)), 0n);
}

export function unpackDepthwiseOutput(c: DepthwiseConfig, word: bigint): bigint[] {
  const g = depthwiseGeometry(c);
  const mask = (1n << BigInt(g.acc.width)) - 1n;
  return Array.from({ length: c.channels }, (_, ch) => fromBits((word >> BigInt(ch * g.acc.width)) & mask, g.acc));
}

/** Raster index (in the padded raster) of the position that completes the last output window. */
export function lastOutputPosition(c: DepthwiseConfig): number {
  const g = depthwiseGeometry(c);
  const y = c.kernel - 1 + c.stride * (g.outHeight - 1);
  const x = c.kernel - 1 + c.stride * (g.outWidth - 1);
  return y * g.paddedWidth + x;
}

/**
 * True when the last output of an image comes after its last pixel was read.
 * Otherwise (no padding and a stride that skips the last rows or columns) the
 * engine reads the unused trailing pixels only when the stream goes on, so a
 * stream must not end with such an image.
 */
export function readsWholeImageBeforeLastOutput(c: DepthwiseConfig): boolean {
  const g = depthwiseGeometry(c);
  const lastPixel = (c.padding + c.height - 1) * g.paddedWidth + c.padding + c.width - 1;
  return lastPixel <= lastOutputPosition(c);
}

/**
 * Cycles the harness counts for a stream of `images` images with `weightSets`
 * weight sets, each loaded right before an image (the first before image 0),
 * input always valid and output always ready: the engine walks one padded
 * raster position per cycle, waits one cycle per weight tap at the image
 * boundary, and offers the last output its latency after the position that
 * completes it.
 */
export function depthwiseCycles(c: DepthwiseConfig, images: number, weightSets = 1): number {
  const g = depthwiseGeometry(c);
  return weightSets * g.taps + (images - 1) * g.paddedWidth * g.paddedHeight + lastOutputPosition(c) + 1 + DEPTHWISE_LATENCY;
}
