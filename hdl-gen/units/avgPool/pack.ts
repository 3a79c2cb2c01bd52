/**
 * Stream words of the average-pooling unit: in_data is one pixel, channel c
 * in bits [c*b +: b] (b = inputBits, two's complement when signed); out_data
 * is one pooled pixel in the same layout (pooling keeps the input's shape).
 */
import { packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';

export function packAvgPoolPixel(c: AvgPoolConfig, channels: readonly bigint[]): bigint {
  return packLanes(deriveAvgPool(c).input, channels.map((x) => ({ x })));
}

export function packAvgPoolOutput(c: AvgPoolConfig, averages: readonly bigint[]): bigint {
  return packLanes(deriveAvgPool(c).output, averages.map((out) => ({ out })));
}

export function unpackAvgPoolOutput(c: AvgPoolConfig, word: bigint): bigint[] {
  return unpackLanes(deriveAvgPool(c).output, word).map((l) => l['out']!);
}
