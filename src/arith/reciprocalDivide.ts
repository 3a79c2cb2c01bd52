/**
 * Rounding division of a window sum S by a constant N that is not a power of
 * two, as one multiply, one constant add and a shift, exact for every S of
 * the sum's range in every rounding mode (bit-exact with src/arith's
 * roundDivide, which src/ref's averageOf calls).
 *
 * The hardware computes P = S*m + B (B one of two constants, picked by the
 * sign of S), Q = floor(P / 2^L) and F = P mod 2^L; then
 *   rdn, rnu, rna, rne with N odd:  result Q
 *   rne with N even:                 result Q with bit 0 cleared when F < 2^(L-j) (a tie)
 *   rod:                             result Q with bit 0 set when F >= 2^(L-j) (inexact)
 * where 2^j >= N, so "F < 2^(L-j)" is a NOR of F's top j bits.
 *
 * Why it is exact. Each mode is floor((S + c) / N) for an integer offset c:
 *   rdn, rod: c = 0 (floor; rod then jams bit 0 on a non-zero remainder)
 *   rnu:      c = floor(N/2): S/N + 1/2 rounded down; for odd N no sum is a tie,
 *             and floor((S + (N-1)/2 + 1/2) / N) = floor((S + (N-1)/2) / N).
 *   rna:      as rnu for S >= 0; for S < 0 and even N, c = N/2 - 1, so a tie
 *             (remainder N/2) stays at the floor: away from zero.
 *   rne:      as rnu; a tie (remainder of S is N/2, i.e. T = S + N/2 is a
 *             multiple of N) gives q+1, and clearing bit 0 turns an odd q+1
 *             into q: the even neighbour either way.
 * Let T = S + c, m = ceil(2^L / N), e = m*N - 2^L (0 < e < N) and
 * B = c*m + beta, so P = T*m + beta and
 *   P / 2^L = T/N + D / (N * 2^L),   D = T*e + N*beta.
 * beta is the least non-negative integer with D >= 0 at the smallest T; D is
 * linear in T, so checking D < limit at the largest T bounds it everywhere.
 * Writing T = qN + r (0 <= r < N): P - q*2^L = (r*2^L + D) / N.
 *   - limit 2^L: r*2^L + D < (r+1)*2^L <= N*2^L, so Q = q = floor(T/N).
 *   - limit N*2^(L-j) (<= 2^L): F = (r*2^L + D)/N is below 2^(L-j) when
 *     r = 0 and at least 2^L/N >= 2^(L-j) when r >= 1: F's top j bits are all
 *     zero exactly when N divides T.
 * reciprocalPlan picks the least L for which the check holds; the bound is
 * checked with exact integers here (no float), and
 * test/arith/reciprocalDivide.test.ts compares divideByPlan with roundDivide
 * exhaustively on small ranges.
 * This is Granlund and Montgomery's construction (1994); for a sum of n bits
 * m usually has n+1 bits, sometimes more (poolDivision.ts derives the
 * widths). Pure math, shared by the average-pooling unit (hdl-gen) and the
 * cost model's poolOps (src/cost), so both count the same division.
 */
import { type Range, bitLength } from './range.ts';
import type { RoundingMode } from './rounding.ts';

/** Which exactness test follows the shift. */
export type RemainderFlag = 'none' | 'tieToEven' | 'jam';

export interface ReciprocalPlan {
  readonly divisor: bigint;
  readonly mode: RoundingMode;
  /** m = ceil(2^L / N), unsigned. */
  readonly multiplier: bigint;
  /** L. */
  readonly shift: number;
  /** B for S >= 0 and for S < 0 (they differ only for rna with an even N). */
  readonly offsetNonNegative: bigint;
  readonly offsetNegative: bigint;
  readonly flag: RemainderFlag;
  /** j: the top j bits of F decide the flag (0 when flag is 'none'). */
  readonly flagBits: number;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** ceil(a / b) for b > 0. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b < a ? q + 1n : q;
}

/** Offsets c for S >= 0 and S < 0. */
function offsets(n: bigint, mode: RoundingMode): [bigint, bigint] {
  const half = n / 2n;
  switch (mode) {
    case 'rdn':
    case 'rod':
      return [0n, 0n];
    case 'rnu':
    case 'rne':
      return [half, half];
    case 'rna':
      return [half, n % 2n === 0n ? half - 1n : half];
  }
}

/** The plan dividing every sum in `sums` by n (n >= 3, not a power of two) with `mode`. */
export function reciprocalPlan(sums: Range, n: number, mode: RoundingMode): ReciprocalPlan {
  if (!Number.isSafeInteger(n) || n < 3 || isPowerOfTwo(n)) {
    throw new RangeError(`reciprocalPlan: divisor ${String(n)} is invalid: must be an integer >= 3 that is not a power of two (those are a rounding shift)`);
  }
  if (sums.lo > sums.hi) throw new RangeError(`reciprocalPlan: sum range ${sums.lo}..${sums.hi} is empty`);
  const N = BigInt(n);
  const [cPos, cNeg] = offsets(N, mode);
  const flag: RemainderFlag = mode === 'rod' ? 'jam' : mode === 'rne' && n % 2 === 0 ? 'tieToEven' : 'none';
  const j = flag === 'none' ? 0 : bitLength(N - 1n);
  // T = S + c over the part of the sum range on each side of zero.
  const ts: bigint[] = [];
  if (sums.hi >= 0n) ts.push((sums.lo > 0n ? sums.lo : 0n) + cPos, sums.hi + cPos);
  if (sums.lo < 0n) ts.push(sums.lo + cNeg, (sums.hi < 0n ? sums.hi : -1n) + cNeg);
  const tMin = ts.reduce((a, b) => (b < a ? b : a));
  const tMax = ts.reduce((a, b) => (b > a ? b : a));
  for (let L = Math.max(j, bitLength(N)); L <= 1100; L++) {
    const p2 = 1n << BigInt(L);
    const m = ceilDiv(p2, N);
    const e = m * N - p2;
    const beta = tMin < 0n ? ceilDiv(-tMin * e, N) : 0n;
    const limit = flag === 'none' ? p2 : N << BigInt(L - j);
    if (tMax * e + N * beta < limit) {
      return Object.freeze({
        divisor: N,
        mode,
        multiplier: m,
        shift: L,
        offsetNonNegative: cPos * m + beta,
        offsetNegative: cNeg * m + beta,
        flag,
        flagBits: j,
      });
    }
  }
  throw new RangeError(`reciprocalPlan: no shift up to 1100 divides ${sums.lo}..${sums.hi} by ${n}; this is a bug`);
}

/** The arithmetic the RTL performs, on bigints: equal to roundDivide(s, N, mode) on the plan's range. */
export function divideByPlan(s: bigint, p: ReciprocalPlan): bigint {
  const prod = s * p.multiplier + (s < 0n ? p.offsetNegative : p.offsetNonNegative);
  const L = BigInt(p.shift);
  const q = prod >> L;
  const f = prod - (q << L);
  const flagSet = f >> BigInt(p.shift - p.flagBits) === 0n; // F's top j bits all zero: N divides T
  if (p.flag === 'tieToEven' && flagSet) return q & ~1n;
  if (p.flag === 'jam' && !flagSet) return q | 1n;
  return q;
}
