/**
 * The accelerator's elementwise pipeline for one lane, on BigInt: the
 * reference's integer stages (src/ref/requantStages.ts integerStagesBig) with
 * the lane's parameter set, absent stages being identities (multiplier 1,
 * offset 0, slope 1 with shift 0), then the layer's clamp: what the RTL
 * computes.
 */
import type { RoundingMode } from '../arith/index.ts';
import { integerStagesBig } from '../ref/requantStages.ts';
import type { LaneParams } from './program.ts';

export function requantLane(acc: bigint, p: LaneParams, shift: number, rounding: RoundingMode, preluShift: number, min: number, max: number): number {
  const x = integerStagesBig(acc, { normMul: BigInt(p.normMul), normOff: BigInt(p.normOff), scaleMul: BigInt(p.scaleMul), scaleOff: BigInt(p.scaleOff), slope: BigInt(p.prelu), slopeShift: preluShift }, shift, rounding);
  if (x < BigInt(min)) return min;
  if (x > BigInt(max)) return max;
  return Number(x);
}
