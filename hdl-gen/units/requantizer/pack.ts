/**
 * Stream words of the requantizer: per lane, in_data carries the element
 * and its channel's parameters (field order below, lane 0 in the low bits);
 * out_data carries the lanes' outputs.
 *   doubleQuant: acc, bias (if bias), scale (if per-channel)
 *   tflite:      acc, bias (int32), multiplier (int32), exponent (u5, right shift 0..31)
 *
 * Why parameters travel in the transaction instead of a ROM indexed by a
 * channel counter: the unit stays a pure elementwise stage whose order of
 * channels is the producer's business (a MAC array may emit channels in any
 * tiling), one build serves every parameter value (so property tests draw
 * fresh multipliers per transaction, corners included), and a ROM or
 * register-file front end can be put before it without changing it.
 */
import { type LaneValues, packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import type { RequantizerConfig } from './config.ts';
import { deriveRequantizer } from './config.ts';

export interface DoubleQuantLane {
  readonly acc: bigint;
  readonly bias?: bigint;
  readonly scale?: bigint;
}

export interface TfliteLane {
  readonly acc: bigint;
  readonly bias: bigint;
  readonly multiplier: bigint;
  readonly exponent: bigint;
}

export function packRequantizerInput(c: RequantizerConfig, lanes: readonly (DoubleQuantLane | TfliteLane | LaneValues)[]): bigint {
  // Each lane object holds only bigint fields: as a record it is a LaneValues.
  return packLanes(deriveRequantizer(c).input, lanes.map((l): LaneValues => ({ ...l })));
}

export function packRequantizerOutput(c: RequantizerConfig, outs: readonly bigint[]): bigint {
  return packLanes(deriveRequantizer(c).output, outs.map((out) => ({ out })));
}

export function unpackRequantizerOutput(c: RequantizerConfig, word: bigint): bigint[] {
  return unpackLanes(deriveRequantizer(c).output, word).map((l) => l['out']!);
}
