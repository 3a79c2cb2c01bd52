/**
 * The accelerator's elementwise pipeline for one lane, on BigInt: the exact
 * steps of src/ref/requantStages.ts's integer path with absent stages as
 * identities (multiplier 1, offset 0, slope 1 with shift 0), which is what the
 * RTL computes.
 */
import { type RoundingMode, roundShift } from '../arith/index.ts';
import type { LaneParams } from './program.ts';

export function requantLane(acc: bigint, p: LaneParams, shift: number, rounding: RoundingMode, preluShift: number, min: number, max: number): number {
  let x = acc * BigInt(p.normMul) + BigInt(p.normOff);
  x = x * BigInt(p.scaleMul) + BigInt(p.scaleOff);
  x = roundShift(x, shift, rounding);
  if (x < 0n) x = roundShift(x * BigInt(p.prelu), preluShift, rounding);
  if (x < BigInt(min)) return min;
  if (x > BigInt(max)) return max;
  return Number(x);
}
