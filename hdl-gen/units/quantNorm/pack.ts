/**
 * Stream words of QuantNorm: per lane the accumulator and its channel's
 * multiplier and offset (in that order, lane 0 in the low bits); out_data
 * carries each lane's exact n. Parameters travel in the transaction for the
 * reasons given in ../requantizer/pack.ts.
 */
import { type LaneValues, packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type QuantNormConfig, deriveQuantNorm } from './config.ts';

export interface QuantNormLane {
  readonly acc: bigint;
  readonly multiplier: bigint;
  readonly offset: bigint;
}

export function packQuantNormInput(c: QuantNormConfig, lanes: readonly (QuantNormLane | LaneValues)[]): bigint {
  return packLanes(deriveQuantNorm(c).input, lanes.map((l): LaneValues => ({ ...l })));
}

export function packQuantNormOutput(c: QuantNormConfig, outs: readonly bigint[]): bigint {
  return packLanes(deriveQuantNorm(c).output, outs.map((out) => ({ out })));
}

export function unpackQuantNormOutput(c: QuantNormConfig, word: bigint): bigint[] {
  return unpackLanes(deriveQuantNorm(c).output, word).map((l) => l['out']!);
}
