// Rounding modes checked against their definitions on exact rationals, and the
// number implementation against the BigInt one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES, type RoundingMode, roundShift, roundShiftNumber } from '../../src/arith/index.ts';

/** The definition, on the rational x / 2^k, written independently of rounding.ts. */
function reference(x: bigint, k: number, mode: RoundingMode): bigint {
  const d = 1n << BigInt(k);
  // floor division for negative x
  const fl = x >= 0n ? x / d : -((-x + d - 1n) / d);
  const twiceFrac = 2n * (x - fl * d); // 2 * fractional part, scaled by d
  const below = twiceFrac < d;
  const tie = twiceFrac === d;
  switch (mode) {
    case 'rdn':
      return fl;
    case 'rnu':
      return below ? fl : fl + 1n;
    case 'rne':
      return below ? fl : tie ? (fl % 2n === 0n ? fl : fl + 1n) : fl + 1n;
    case 'rna':
      return below ? fl : tie ? (x >= 0n ? fl + 1n : fl) : fl + 1n;
    case 'rod':
      return x === fl * d ? fl : fl % 2n === 0n ? fl + 1n : fl;
  }
}

describe('rounding modes', () => {
  it('match their definitions on every x in [-300, 300] and k in 0..9', () => {
    for (const m of ROUNDING_MODES) {
      for (let k = 0; k <= 9; k++) {
        for (let x = -300n; x <= 300n; x++) expect(roundShift(x, k, m)).toBe(reference(x, k, m));
      }
    }
  });

  it('named examples', () => {
    // -2.5 and 2.5 (x = -5, 5 and k = 1)
    expect(roundShift(-5n, 1, 'rnu')).toBe(-2n);
    expect(roundShift(5n, 1, 'rnu')).toBe(3n);
    expect(roundShift(-5n, 1, 'rne')).toBe(-2n);
    expect(roundShift(-7n, 1, 'rne')).toBe(-4n);
    expect(roundShift(-5n, 1, 'rna')).toBe(-3n);
    expect(roundShift(5n, 1, 'rna')).toBe(3n);
    expect(roundShift(-5n, 1, 'rdn')).toBe(-3n);
    expect(roundShift(4n, 2, 'rod')).toBe(1n);
    expect(roundShift(5n, 2, 'rod')).toBe(1n);
    expect(roundShift(8n, 2, 'rod')).toBe(2n);
    expect(roundShift(9n, 2, 'rod')).toBe(3n);
  });

  it('the number implementation equals the BigInt one below 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(...ROUNDING_MODES),
        (x, k, m) => {
          expect(roundShiftNumber(x, k, m)).toBe(Number(roundShift(BigInt(x), k, m)));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('stays equal to the BigInt one for shifts up to 1024 (no -0, no Infinity) and refuses what it refuses', () => {
    // At k = 1024, 2^k is Infinity as a double: floor(-5 / Infinity) was -0 where the BigInt version gives -1.
    expect(Object.is(roundShiftNumber(-5, 1024, 'rdn'), -1)).toBe(true);
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.oneof(fc.integer({ min: 50, max: 60 }), fc.integer({ min: 1000, max: 1024 })),
        fc.constantFrom(...ROUNDING_MODES),
        (x, k, m) => {
          const got = roundShiftNumber(x, k, m);
          expect(Object.is(got, -0), `${x} ${k} ${m}`).toBe(false);
          expect(got).toBe(Number(roundShift(BigInt(x), k, m)));
        },
      ),
      { numRuns: 3000 },
    );
    expect(() => roundShiftNumber(1, 1025, 'rdn')).toThrow('roundShiftNumber: shift 1025 is invalid: a shift must be an integer from 0 to 1024');
    expect(() => roundShiftNumber(1, -1, 'rdn')).toThrow('roundShiftNumber: shift -1 is invalid');
  });
});
