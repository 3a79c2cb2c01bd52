/**
 * roundShift(x, e, mode) for a run-time shift e and a run-time rounding mode
 * (the layer program's code: 0 rdn, 1 rnu, 2 rne, 3 rna, 4 rod; see
 * src/accel/program.ts ROUNDING_CODES), exact for every e including e at or
 * above x's width (the infinite two's-complement reading).
 *
 * t = floor(2x / 2^e) gives floor(x / 2^e) (t >> 1) and the half bit (bit
 * e-1 of x, t's bit 0; 0 when e = 0); sticky says whether any bit of x below
 * the half bit is set; each mode's increment follows src/arith/rounding.ts.
 * The same construction as the requantizer's roundingDivideByPot, generalised.
 */
import { unsigned } from '../../src/arith/index.ts';
import { type Expr, constant, mux } from '../dsl/expr.ts';

export function roundShiftVar(x: Expr, e: Expr, mode: Expr): Expr {
  const n = x.shape.width;
  const t = x.shl(1).shr(e);
  const floor = t.shr(1);
  const half = t.bit(0);
  // The masks are n + 1 bits wide so that below covers all n bits of x when
  // e - 1 >= n (the half bit is then a copy of the sign and every bit of x,
  // the sign included, is below it); n bits lost the sign from sticky there.
  const ones = constant((1n << BigInt(n + 1)) - 1n, unsigned(n + 1));
  const lowMask = ones.shl(e).truncate(n + 1).not(); // bits [0, e-1]
  const below = lowMask.shr(1).truncate(n); // bits [0, e-2]
  const sticky = x.asUnsigned().and(below).ne(0);
  const neg = x.bit(n - 1);
  const odd = floor.bit(0);
  const inc = mux(
    mode.eq(1),
    half,
    mux(mode.eq(2), half.and(sticky.or(odd)), mux(mode.eq(3), half.and(sticky.or(neg.not())), mux(mode.eq(4), half.or(sticky).and(odd.not()), constant(0, unsigned(1))))),
  );
  return floor.add(inc);
}
