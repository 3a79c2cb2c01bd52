/**
 * Stream words of the max-pooling unit: in_data is one pixel, channel c in
 * bits [c*b +: b] (b = inputBits, two's complement when signed); out_data is
 * one pooled pixel in the same layout.
 */
import { packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type MaxPoolConfig, deriveMaxPool } from './config.ts';

export function packMaxPoolPixel(c: MaxPoolConfig, channels: readonly bigint[]): bigint {
  return packLanes(deriveMaxPool(c).input, channels.map((x) => ({ x })));
}

export function packMaxPoolOutput(c: MaxPoolConfig, maxima: readonly bigint[]): bigint {
  return packLanes(deriveMaxPool(c).output, maxima.map((out) => ({ out })));
}

export function unpackMaxPoolOutput(c: MaxPoolConfig, word: bigint): bigint[] {
  return unpackLanes(deriveMaxPool(c).output, word).map((l) => l['out']!);
}
