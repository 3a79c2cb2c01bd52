// roundDivide agrees with roundShift on powers of two and with its definition
// on exact rationals; the number version agrees with the BigInt one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES, roundDivide, roundDivideNumber, roundShift, roundFloat } from '../../src/arith/index.ts';

describe('roundDivide', () => {
  it('equals roundShift for d = 2^k on every x in [-200, 200], k in 0..7', () => {
    let compared = 0;
    for (const m of ROUNDING_MODES) {
      for (let k = 0; k <= 7; k++) {
        for (let x = -200n; x <= 200n; x++) {
          expect(roundDivide(x, 1n << BigInt(k), m)).toBe(roundShift(x, k, m));
          compared++;
        }
      }
    }
    expect(compared).toBe(5 * 8 * 401);
  });

  it('is within 1/2 of x/d for the nearest modes and brackets it for the others', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1000n }), fc.constantFrom(...ROUNDING_MODES), (x, d, m) => {
        const q = roundDivide(x, d, m);
        const err2 = 2n * (q * d - x); // 2*d*(q - x/d)
        if (m === 'rdn') expect(q * d <= x && x < (q + 1n) * d).toBe(true);
        else if (m === 'rod') expect((q - 1n) * d < x && x < (q + 1n) * d).toBe(true);
        else expect(err2 >= -d && err2 <= d).toBe(true);
      }),
    );
  });

  it('named examples: -7/2 and 7/2, 14/4 under each tie rule, 10/3', () => {
    expect(roundDivide(-7n, 2n, 'rnu')).toBe(-3n);
    expect(roundDivide(-7n, 2n, 'rna')).toBe(-4n);
    expect(roundDivide(-7n, 2n, 'rne')).toBe(-4n);
    expect(roundDivide(7n, 2n, 'rne')).toBe(4n);
    expect(roundDivide(10n, 3n, 'rnu')).toBe(3n);
    expect(roundDivide(-10n, 3n, 'rdn')).toBe(-4n);
    expect(roundDivide(9n, 3n, 'rod')).toBe(3n);
    expect(roundDivide(10n, 3n, 'rod')).toBe(3n);
    expect(() => roundDivide(1n, 0n, 'rnu')).toThrow('divisor 0 is invalid');
  });

  it('the number version is exact next to 2^53 (a product q * d that rounded once made rdn off by one)', () => {
    for (const m of ROUNDING_MODES) {
      for (const [x, d] of [[-9007199254740985, 11], [Number.MIN_SAFE_INTEGER, 3], [Number.MAX_SAFE_INTEGER, 7], [Number.MIN_SAFE_INTEGER, (1 << 20) - 1], [-9007199254740990, 1 << 20]] as const) {
        expect(roundDivideNumber(x, d, m), `${x} / ${d} ${m}`).toBe(Number(roundDivide(BigInt(x), BigInt(d), m)));
      }
    }
  });

  it('the number version equals the BigInt one below 2^53', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 1 << 20 }), fc.constantFrom(...ROUNDING_MODES), (x, d, m) => {
        expect(roundDivideNumber(x, d, m)).toBe(Number(roundDivide(BigInt(x), BigInt(d), m)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('roundFloat', () => {
  it('agrees with roundDivide on dyadic rationals x/2^k (exact as doubles)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...ROUNDING_MODES), (x, k, m) => {
        expect(roundFloat(x / 2 ** k, m)).toBe(Number(roundShift(BigInt(x), k, m)));
      }),
      { numRuns: 2000 },
    );
  });
  it('ties: -2.5 and 2.5', () => {
    expect([roundFloat(-2.5, 'rne'), roundFloat(2.5, 'rne'), roundFloat(-2.5, 'rna'), roundFloat(-2.5, 'rnu')]).toEqual([-2, 2, -3, -2]);
    expect(() => roundFloat(NaN, 'rne')).toThrow('not a finite number');
  });
});
