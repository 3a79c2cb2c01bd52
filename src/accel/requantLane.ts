/**
 * The accelerator's elementwise pipeline for one lane, on BigInt: the
 * reference's integer stages (src/ref/requantStages.ts integerStagesBig) with
 * the lane's parameter set, absent stages being identities (multiplier 1,
 * offset 0, slope 1 with shift 0), then the layer's clamp: what the RTL
 * computes.
 */
import type { RoundingMode } from '../arith/index.ts';
import { type IntegerStageParams, integerStagesBig } from '../ref/requantStages.ts';
import type { LaneParams } from './program.ts';

// The interpreter calls this once per output element with the same few parameter sets: their
// BigInt form is made once per (set, PReLU shift), not per element.
const stageCache = new WeakMap<LaneParams, Map<number, IntegerStageParams>>();

function stageParams(p: LaneParams, preluShift: number): IntegerStageParams {
  let byShift = stageCache.get(p);
  if (byShift === undefined) stageCache.set(p, (byShift = new Map()));
  let s = byShift.get(preluShift);
  if (s === undefined) {
    s = { normMul: BigInt(p.normMul), normOff: BigInt(p.normOff), scaleMul: BigInt(p.scaleMul), scaleOff: BigInt(p.scaleOff), slope: BigInt(p.prelu), slopeShift: preluShift };
    byShift.set(preluShift, s);
  }
  return s;
}

export function requantLane(acc: bigint, p: LaneParams, shift: number, rounding: RoundingMode, preluShift: number, min: number, max: number): number {
  const x = integerStagesBig(acc, stageParams(p, preluShift), shift, rounding);
  if (x < BigInt(min)) return min;
  if (x > BigInt(max)) return max;
  return Number(x);
}
