/**
 * Stream words of the activation unit: per lane x and, for prelu, the
 * channel's slope P (lane 0 low); out_data carries the lanes' outputs.
 * Slopes travel in the transaction for the reasons given in ../requantizer/pack.ts.
 */
import { type LaneValues, packLanes, unpackLanes } from '../elementwise/laneLayout.ts';
import { type ActivationConfig, deriveActivation } from './config.ts';

export interface ActivationLane {
  readonly x: bigint;
  readonly slope?: bigint;
}

export function packActivationInput(c: ActivationConfig, lanes: readonly (ActivationLane | LaneValues)[]): bigint {
  return packLanes(deriveActivation(c).input, lanes.map((l): LaneValues => ({ ...l })));
}

export function packActivationOutput(c: ActivationConfig, outs: readonly bigint[]): bigint {
  return packLanes(deriveActivation(c).output, outs.map((out) => ({ out })));
}

export function unpackActivationOutput(c: ActivationConfig, word: bigint): bigint[] {
  return unpackLanes(deriveActivation(c).output, word).map((l) => l['out']!);
}
