// Rounding division by a non-power-of-two constant as multiply, add, shift
// (src/arith reciprocalDivide): equal to roundDivide exhaustively on small
// ranges and at the ends and random sums of wide ones; and poolDivision's
// shapes hold every intermediate value of the plan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ROUNDING_MODES,
  divideByPlan,
  fits,
  maxOf,
  minOf,
  poolDivision,
  poolSumRange,
  poolSumShape,
  range,
  reciprocalPlan,
  roundDivide,
  shape,
} from '../../src/arith/index.ts';

const SEED = Number(process.env['PIKEHDL_SEED'] ?? 7707);
const LONG = process.env['PIKEHDL_FUZZ'] === 'long';

describe('reciprocalPlan / divideByPlan', () => {
  it('equals roundDivide on every sum of small ranges, every mode, divisors 3..50 and squares', () => {
    let checked = 0;
    const divisors = [...Array.from({ length: 48 }, (_, i) => i + 3).filter((n) => (n & (n - 1)) !== 0), 81, 100, 121, 196];
    for (const signed of [false, true]) {
      for (let bits = 1; bits <= 5; bits++) {
        const v = shape(bits, signed);
        for (const n of divisors) {
          for (const mode of ROUNDING_MODES) {
            const lo = minOf(v) * BigInt(n);
            const hi = maxOf(v) * BigInt(n);
            const plan = reciprocalPlan(range(lo, hi), n, mode);
            for (let s = lo; s <= hi; s++) {
              const want = roundDivide(s, BigInt(n), mode);
              if (divideByPlan(s, plan) !== want) throw new Error(`${signed ? 's' : 'u'}${bits} N=${n} ${mode} sum ${s}: got ${divideByPlan(s, plan)}, want ${want}`);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(900_000);
  });

  it('equals roundDivide at the ends and at random sums of wide ranges (16-bit inputs, N up to 2^20)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        fc.integer({ min: 3, max: 1 << 20 }).filter((n) => (n & (n - 1)) !== 0),
        fc.constantFrom(...ROUNDING_MODES),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 50, maxLength: 50 }),
        (bits, signed, n, mode, fracs) => {
          const v = shape(bits, signed);
          const lo = minOf(v) * BigInt(n);
          const hi = maxOf(v) * BigInt(n);
          const plan = reciprocalPlan(range(lo, hi), n, mode);
          const N = BigInt(n);
          const span = Number(hi - lo);
          const sums = [lo, hi, 0n, -1n, 1n, N / 2n, -N / 2n, lo + 1n, hi - 1n, ...fracs.map((f) => lo + BigInt(Math.floor(f * span)))];
          for (const s of sums.filter((x) => x >= lo && x <= hi)) {
            for (const t of [s, s - (s % N) + N / 2n].filter((x) => x >= lo && x <= hi)) {
              expect(divideByPlan(t, plan)).toBe(roundDivide(t, N, mode));
              checked++;
            }
          }
        },
      ),
      { seed: SEED, numRuns: LONG ? 3000 : 300 },
    );
    expect(checked).toBeGreaterThan(0);
  });

  it('refuses a power-of-two divisor (that is a rounding shift)', () => {
    expect(() => reciprocalPlan(range(0n, 64n), 8, 'rnu')).toThrow('reciprocalPlan: divisor 8 is invalid: must be an integer >= 3 that is not a power of two');
  });
});

describe('poolDivision', () => {
  it('a power-of-two window is a rounding shift; others a reciprocal multiply', () => {
    expect(poolDivision(shape(8, false), 16, 'rnu')).toEqual({ kind: 'shift', shift: 4 });
    expect(poolDivision(shape(8, false), 1, 'rdn')).toEqual({ kind: 'shift', shift: 0 });
    const d = poolDivision(shape(4, false), 49, 'rnu');
    expect(d.kind).toBe('reciprocal');
    if (d.kind === 'reciprocal') expect(d.multiplier.width).toBe(poolSumShape(shape(4, false), 49).width + 1);
  });

  it('has an offset add for rdn/rod exactly when the sums can be negative', () => {
    for (const mode of ['rdn', 'rod'] as const) {
      const u = poolDivision(shape(5, false), 9, mode);
      const s = poolDivision(shape(5, true), 9, mode);
      expect(u.kind === 'reciprocal' && u.offset).toBe(undefined);
      expect(s.kind === 'reciprocal' && s.offset !== undefined).toBe(true);
    }
  });

  it('needs sum + 2 multiplier bits for a huge window over 1-bit inputs', () => {
    const d = poolDivision(shape(1, false), 1023 * 1023, 'rnu');
    expect(d.kind === 'reciprocal' && d.multiplier.width - poolSumShape(shape(1, false), 1023 * 1023).width).toBe(2);
  });

  it('every intermediate value fits its declared shape (random inputs, windows, modes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.boolean(), fc.integer({ min: 3, max: 1 << 20 }).filter((n) => (n & (n - 1)) !== 0), fc.constantFrom(...ROUNDING_MODES), (bits, signed, n, mode) => {
        const v = shape(bits, signed);
        const d = poolDivision(v, n, mode);
        if (d.kind !== 'reciprocal') throw new Error('expected a reciprocal division');
        const sums = poolSumRange(v, n);
        expect(fits(d.plan.multiplier, d.multiplier)).toBe(true);
        for (const s of [sums.lo, sums.hi, 0n]) {
          const prod = s * d.plan.multiplier;
          expect(fits(prod, d.product)).toBe(true);
          expect(fits(prod + (s < 0n ? d.plan.offsetNegative : d.plan.offsetNonNegative), d.shifted)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: LONG ? 2000 : 200 },
    );
  });
});
