// The branch-free helpers the quantizer's MSE search runs on (roundHalfEven,
// clampSmallInteger) against the definitions they stand in for (roundFloat 'rne',
// clampNumber), bit for bit: Object.is, so a -0 or a one-off tie would fail.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clampNumber, clampSmallInteger, roundFloat, roundHalfEven } from '../../src/arith/index.ts';

describe('roundHalfEven', () => {
  it('equals roundFloat(x, "rne") on every half and near-half in [-2^12, 2^12] and at the fast path edges', () => {
    const xs: number[] = [];
    for (let k = -8192; k <= 8192; k++) {
      const h = k / 2;
      xs.push(h, h + 2 ** -40, h - 2 ** -40, h + 0.25, h - 0.25);
    }
    const edge = 2 ** 51;
    xs.push(-0, 0, edge, -edge, edge - 0.5, -(edge - 0.5), edge - 1.5, 2 ** 52 + 2, -(2 ** 53), 1e300, -1e300, Number.MIN_VALUE, -Number.MIN_VALUE);
    let compared = 0;
    for (const x of xs) {
      expect(Object.is(roundHalfEven(x), roundFloat(x, 'rne')), `x = ${x}`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(80_000);
  });

  it('equals roundFloat(x, "rne") on arbitrary doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(roundHalfEven(x), roundFloat(x, 'rne'))),
      { numRuns: 20_000 },
    );
  });

  it('refuses what roundFloat refuses', () => {
    expect(() => roundHalfEven(Number.NaN)).toThrow(RangeError);
    expect(() => roundHalfEven(Infinity)).toThrow(RangeError);
  });
});

describe('clampSmallInteger', () => {
  it('equals clampNumber on integers (up to the sign of zero)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.nat({ max: 2 ** 31 }), (x, lo, span) => {
        const r = clampSmallInteger(x, lo, lo + span);
        return r === clampNumber(x, lo, lo + span) && !Object.is(r, -0);
      }),
      { numRuns: 20_000 },
    );
    expect(clampSmallInteger(-9, -7, 7)).toBe(-7);
    expect(clampSmallInteger(9, -7, 7)).toBe(7);
    expect(clampSmallInteger(3, -7, 7)).toBe(3);
  });
});
