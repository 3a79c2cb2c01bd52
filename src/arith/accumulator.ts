/**
 * Accumulator width for a dot product of K terms, derived from ranges.
 *
 * For weights in range W and activations in range A, each product lies in
 * mulRanges(W, A) = [pmin, pmax], so a K-term sum lies in [K*pmin, K*pmax];
 * the accumulator is the smallest shape holding that. This is exact: no
 * input can overflow it, and a narrower one would overflow on the all-max or
 * all-min corner. (The textbook bound wb + wa + ceil(log2 K) is never smaller
 * and is often one bit larger, e.g. signed weights times unsigned activations.)
 */
import { type Range, mulRanges, scaleRange, shapeOfRange } from './range.ts';
import type { Shape } from './shape.ts';
import { ShapeError } from './shape.ts';

export function accumulatorRange(weights: Range, activations: Range, k: number): Range {
  if (!Number.isInteger(k) || k < 1) {
    throw new ShapeError(`accumulator: reduction depth K=${String(k)} is invalid: K must be a positive integer`);
  }
  return scaleRange(mulRanges(weights, activations), BigInt(k));
}

export function accumulatorShape(weights: Range, activations: Range, k: number): Shape {
  return shapeOfRange(accumulatorRange(weights, activations, k));
}
