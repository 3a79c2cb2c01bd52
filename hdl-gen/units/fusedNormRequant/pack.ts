/**
 * Stream words of the fused unit: per lane acc, M' and B' (lane 0 low), and
 * the folding a compiler does once per channel. Parameters travel in the
 * transaction for the reasons given in ../requantizer/pack.ts.
 */
import { type LaneValues, packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type FusedNormRequantConfig, deriveFusedNormRequant } from './config.ts';

export interface FusedLane {
  readonly acc: bigint;
  /** M' = M * Q */
  readonly multiplier: bigint;
  /** B' = B * Q */
  readonly offset: bigint;
}

/** QuantNorm's (M, B) and the requantizer's Q folded into the fused unit's (M', B'); exact. */
export function foldNormScale(multiplier: bigint, offset: bigint, scale: bigint): { multiplier: bigint; offset: bigint } {
  return { multiplier: multiplier * scale, offset: offset * scale };
}

export function packFusedInput(c: FusedNormRequantConfig, lanes: readonly (FusedLane | LaneValues)[]): bigint {
  return packLanes(deriveFusedNormRequant(c).input, lanes.map((l): LaneValues => ({ ...l })));
}

export function packFusedOutput(c: FusedNormRequantConfig, outs: readonly bigint[]): bigint {
  return packLanes(deriveFusedNormRequant(c).output, outs.map((out) => ({ out })));
}

export function unpackFusedOutput(c: FusedNormRequantConfig, word: bigint): bigint[] {
  return unpackLanes(deriveFusedNormRequant(c).output, word).map((l) => l['out']!);
}
