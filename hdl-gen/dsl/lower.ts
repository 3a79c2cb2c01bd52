/**
 * clamp/saturate and roundShift rewritten into primitive operators (compare,
 * mux, const shifts, slices, add, or, resize). The emitter emits the rewrite;
 * the evaluator keeps the original node's src/arith semantics; a property
 * test and the expression fuzzer hold the two equal.
 *
 * Bit k of the infinitely sign-extended value is floor(x / 2^k) mod 2, which
 * is what x.shr(k).bit(0) computes for any k, including k >= width: the
 * rounding logic below needs no special case for shifts past the width.
 */
import { type RoundingMode, MAX_WIDTH, maxOf, minOf, roundShiftShape, unsigned } from '../../src/arith/index.ts';
import { internalError } from './dslError.ts';
import { type Expr, constant, mux } from './expr.ts';

/** lo <= x <= hi ? x : the nearer bound, as a value of `e.shape`. */
export function lowerClamp(e: Expr): Expr {
  const n = e.node;
  if (n.kind !== 'clamp') internalError(`lowerClamp on ${n.kind}`);
  const x = n.a;
  const t = e.shape;
  // Only reached when lo <= x <= hi, so the wrap to t is exact.
  let body = x.resize(t);
  // Comparisons that can never be true are left out: no logic, and no
  // constant-result compare for lint to flag.
  if (maxOf(x.shape) > n.hi) body = mux(x.gt(n.hi), constant(n.hi, t), body);
  if (minOf(x.shape) < n.lo) body = mux(x.lt(n.lo), constant(n.lo, t), body);
  return body;
}

/** Bit `i` of x's two's-complement pattern, sign-extended past its width (u1). */
function bitOf(x: Expr, i: number): Expr {
  return x.shr(i).bit(0);
}

/** 1 when any of bits [k-1:0] of x is set (u1); k >= 1. */
function anyLowBits(x: Expr, k: number): Expr {
  // x mod 2^k != 0. Past src/arith's 256-bit cap the extra bits are all copies
  // of the sign (x itself is at most 256 bits wide).
  const low = x.resize(unsigned(Math.min(k, MAX_WIDTH))).ne(0);
  return k > MAX_WIDTH && x.shape.signed ? low.or(x.lt(0)) : low;
}

export function lowerRoundShift(e: Expr): Expr {
  const n = e.node;
  if (n.kind !== 'roundShift') internalError(`lowerRoundShift on ${n.kind}`);
  const { a: x, k, mode } = n;
  const r = roundShiftShape(x.shape, k, mode);
  const q = x.shr(k); // floor(x / 2^k)
  const inc = roundingIncrement(x, k, mode);
  if (mode === 'rod') {
    // Round to odd: floor, with the LSB forced to 1 when any bit was dropped.
    return q.or(anyLowBits(x, k)).resize(r);
  }
  // q + inc fits r (roundShiftShape's guarantee, tested exhaustively in
  // test/arith), so the wrap to r is exact.
  return inc === undefined ? q.resize(r) : q.add(inc).resize(r);
}

/** The u1 added to floor(x / 2^k); undefined for modes that never add. */
function roundingIncrement(x: Expr, k: number, mode: RoundingMode): Expr | undefined {
  const half = bitOf(x, k - 1); // remainder >= 2^(k-1)
  switch (mode) {
    case 'rdn':
    case 'rod':
      return undefined;
    case 'rnu':
      return half;
    case 'rne': {
      // Above half, or exactly half and floor is odd.
      if (k === 1) return half.and(bitOf(x, k));
      return half.and(anyLowBits(x, k - 1).or(bitOf(x, k)));
    }
    case 'rna': {
      // Above half, or exactly half and x >= 0 (ties away from zero); for
      // unsigned x every tie is non-negative, so this is rnu.
      if (!x.shape.signed) return half;
      const nonNegative = bitOf(x, x.shape.width - 1).not();
      if (k === 1) return half.and(nonNegative);
      return half.and(anyLowBits(x, k - 1).or(nonNegative));
    }
  }
}

/** Bits a shift amount needs to reach every position of a `width`-bit value: ceil(log2(width)), at least 1. */
function amountBits(width: number): number {
  return Math.max(1, (width - 1).toString(2).length);
}

/**
 * A variable right shift whose amount is wider than the value needs, as
 * `amount >= width ? fill : value >> narrow amount`; undefined when the
 * amount is already narrow. Why: Verilator 5.006 computes a 61-bit value
 * shifted right by a 65-bit amount of 64 or more as if shifted by the
 * amount mod 64 (found by the expression fuzzer); amounts that fit the
 * value's width avoid that path.
 */
export function lowerWideShift(e: Expr): Expr | undefined {
  const n = e.node;
  if (n.kind !== 'binary' || n.op !== 'shr') return undefined;
  const width = n.a.shape.width;
  const k = amountBits(width);
  if (n.b.shape.width <= k) return undefined;
  // a.shr(width) is the fill: the sign (s1) or 0 (u1), which the mux extends.
  return mux(n.b.ge(width), n.a.shr(width), n.a.shr(n.b.truncate(k)));
}
