/**
 * Stream words of the residual adder: per lane x1 (field a), x2 (field b)
 * and, without tensorScales, the multipliers A1 (scaleA) and A2 (scaleB);
 * lane 0 low. out_data carries the lanes' outputs.
 */
import { type LaneValues, packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type ResidualConfig, deriveResidual } from './config.ts';

export interface ResidualLane {
  readonly a: bigint;
  readonly b: bigint;
  readonly scaleA?: bigint;
  readonly scaleB?: bigint;
}

export function packResidualInput(c: ResidualConfig, lanes: readonly (ResidualLane | LaneValues)[]): bigint {
  return packLanes(deriveResidual(c).input, lanes.map((l): LaneValues => ({ ...l })));
}

export function packResidualOutput(c: ResidualConfig, outs: readonly bigint[]): bigint {
  return packLanes(deriveResidual(c).output, outs.map((out) => ({ out })));
}

export function unpackResidualOutput(c: ResidualConfig, word: bigint): bigint[] {
  return unpackLanes(deriveResidual(c).output, word).map((l) => l['out']!);
}
