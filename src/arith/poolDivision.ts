/**
 * How an average pool divides its exact window sum by the window size N, and
 * the shapes every operator of that division has: the one derivation the
 * average-pooling unit (hdl-gen/units/avgPool) builds and the cost model
 * (src/cost poolOps) counts, so the two cannot disagree.
 *
 *   N = 2^p: roundShift(sum, p, mode).
 *   other N: sum * m + B, then a shift by L (reciprocalDivide.ts: m, B and L
 *            are the least exact choice for the sum's range). m is declared
 *            with sum width + 1 bits, wider when the plan needs it (huge N
 *            over very narrow inputs: sum width + 2); the add is absent when
 *            B = 0 (rdn and rod on non-negative sums).
 */
import { accumulatorShape } from './accumulator.ts';
import { type Range, bitLength, range, rangeOf } from './range.ts';
import { type ReciprocalPlan, reciprocalPlan } from './reciprocalDivide.ts';
import type { RoundingMode } from './rounding.ts';
import { type Shape, ShapeError, unsigned } from './shape.ts';
import { BINARY_RULES } from './widthRules.ts';

export type PoolDivision =
  /** N = 2^shift: roundShift(sum, shift, mode). */
  | { readonly kind: 'shift'; readonly shift: number }
  /** Any other N: multiply by the reciprocal, add the offset, shift. */
  | {
      readonly kind: 'reciprocal';
      readonly plan: ReciprocalPlan;
      /** The multiplier's constant: sum width + 1 bits, wider when the plan needs it. */
      readonly multiplier: Shape;
      readonly product: Shape;
      /** Unsigned shape of the offset constant(s); undefined when the offset is 0 (no adder). */
      readonly offset: Shape | undefined;
      /** The shape the final shift reads: product + offset. */
      readonly shifted: Shape;
    };

/** The exact shape of a sum of `count` values of shape `value` (a dot product with all-one weights). */
export function poolSumShape(value: Shape, count: number): Shape {
  return accumulatorShape(range(1n, 1n), rangeOf(value), count);
}

/** The range of that sum. */
export function poolSumRange(value: Shape, count: number): Range {
  const r = rangeOf(value);
  return range(r.lo * BigInt(count), r.hi * BigInt(count));
}

/** The division of a sum of `count` values of shape `value` by `count`, rounded by `mode`. */
export function poolDivision(value: Shape, count: number, mode: RoundingMode): PoolDivision {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ShapeError(`poolDivision: window size ${String(count)} is invalid: must be a positive integer`);
  }
  const log2 = Math.log2(count);
  if (Number.isInteger(log2)) return Object.freeze({ kind: 'shift', shift: log2 });
  const sum = poolSumShape(value, count);
  const plan = reciprocalPlan(poolSumRange(value, count), count, mode);
  const multiplier = unsigned(Math.max(sum.width + 1, bitLength(plan.multiplier)));
  const product = BINARY_RULES.mul.shape(sum, multiplier);
  const offsetMax = plan.offsetNonNegative > plan.offsetNegative ? plan.offsetNonNegative : plan.offsetNegative;
  const offset = offsetMax === 0n ? undefined : unsigned(bitLength(offsetMax));
  const shifted = offset === undefined ? product : BINARY_RULES.add.shape(product, offset);
  return Object.freeze({ kind: 'reciprocal', plan, multiplier, product, offset, shifted });
}
