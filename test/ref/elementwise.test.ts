// Per-element operations: number versions equal BigInt versions, requantizers
// saturate exactly at the bounds, and TFLite's fixed point matches gemmlowp's
// definitions (transcribed on BigInt) including the INT32_MIN corner.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES, signed, unsigned, minOf, maxOf, roundShift, type Shape } from '../../src/arith/index.ts';
import {
  requantize, requantizeBig, doubleQuantRequantize, doubleQuantRequantizeBig, prelu, preluBig, residualAdd, residualAddBig,
  averageOf, averageOfBig, quantNorm, InexactError,
  saturatingRoundingDoublingHighMul, saturatingRoundingDoublingHighMulBig, roundingDivideByPOT, roundingDivideByPOTBig,
  tfliteRequantize, tfliteRequantizeBig, quantizeMultiplier, multiplyByQuantizedMultiplier, INT32_MIN, INT32_MAX,
} from '../../src/ref/index.ts';

const outShape = fc.tuple(fc.integer({ min: 1, max: 16 }), fc.boolean()).map(([w, s]): Shape => (s ? signed(Math.max(2, w)) : unsigned(w)));
const mode = fc.constantFrom(...ROUNDING_MODES);
let compared = 0;

describe('per-element operations, number vs BigInt', () => {
  it('requantize = saturate(roundShift(acc*M + B, S)) and never leaves the output shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: 0, max: 2 ** 16 }), fc.integer({ min: -(2 ** 36), max: 2 ** 36 }), fc.integer({ min: 0, max: 40 }), mode, outShape, (acc, m, b, s, md, out) => {
        const r = requantize(acc, m, b, s, md, out);
        expect(BigInt(r)).toBe(requantizeBig(BigInt(acc), BigInt(m), BigInt(b), s, md, out));
        expect(r >= Number(minOf(out)) && r <= Number(maxOf(out))).toBe(true);
        compared++;
      }),
      { numRuns: 3000 },
    );
  });

  it('requantize saturates exactly at the bounds: the last value inside is kept, the first outside clamps', () => {
    for (const out of [unsigned(4), signed(4), signed(8), unsigned(1)]) {
      const lo = Number(minOf(out));
      const hi = Number(maxOf(out));
      for (const md of ROUNDING_MODES) {
        // M = 1, B = 0, S = 0: the output is the input clamped.
        expect(requantize(hi, 1, 0, 0, md, out)).toBe(hi);
        expect(requantize(hi + 1, 1, 0, 0, md, out)).toBe(hi);
        expect(requantize(lo, 1, 0, 0, md, out)).toBe(lo);
        expect(requantize(lo - 1, 1, 0, 0, md, out)).toBe(lo);
        // S = 4: the largest acc that rounds to hi stays hi, every larger one clamps to hi.
        for (let acc = hi * 16 - 40; acc <= hi * 16 + 40; acc++) {
          const exact = Number(roundShift(BigInt(acc), 4, md));
          expect(requantize(acc, 1, 0, 4, md, out)).toBe(Math.min(hi, Math.max(lo, exact)));
          compared++;
        }
      }
    }
  });

  it('doubleQuantRequantize, prelu, residualAdd, averageOf', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: -(2 ** 12), max: 2 ** 12 }), fc.integer({ min: -255, max: 255 }), fc.integer({ min: 0, max: 20 }), mode, outShape, (x, m, y, s, md, out) => {
        expect(BigInt(doubleQuantRequantize(x, Math.abs(m), s, md, out))).toBe(doubleQuantRequantizeBig(BigInt(x), BigInt(Math.abs(m)), s, md, out));
        expect(BigInt(prelu(x, m, s, md))).toBe(preluBig(BigInt(x), BigInt(m), s, md));
        expect(BigInt(residualAdd(y, m, x % 4096, Math.abs(m), s, md, out))).toBe(residualAddBig(BigInt(y), BigInt(m), BigInt(x % 4096), BigInt(Math.abs(m)), s, md, out));
        const n = (Math.abs(m) % 49) + 1;
        expect(BigInt(averageOf(x, n, md))).toBe(averageOfBig(BigInt(x), BigInt(n), md));
        compared += 4;
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an intermediate that is not exact as a number', () => {
    expect(() => quantNorm(2 ** 40, 2 ** 20, 0)).toThrow(InexactError);
    expect(() => quantNorm(2 ** 40, 2 ** 20, 0)).toThrow('use the BigInt version');
  });
});

describe('TFLite fixed point (gemmlowp)', () => {
  const int32 = fc.oneof(fc.constantFrom(INT32_MIN, INT32_MAX, 0, -1, 1, 1 << 30, -(1 << 30)), fc.integer({ min: INT32_MIN, max: INT32_MAX }));

  it('SaturatingRoundingDoublingHighMul equals the BigInt transcription on int32 extremes', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(BigInt(saturatingRoundingDoublingHighMul(a, b))).toBe(saturatingRoundingDoublingHighMulBig(BigInt(a), BigInt(b)));
        compared++;
      }),
      { numRuns: 20000 },
    );
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
  });

  it('RoundingDivideByPOT is round-half-away (rna), and equals its bitmask definition', () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, e) => {
        expect(BigInt(roundingDivideByPOT(x, e))).toBe(roundingDivideByPOTBig(BigInt(x), e));
        compared++;
      }),
      { numRuns: 20000 },
    );
    expect([roundingDivideByPOT(-5, 1), roundingDivideByPOT(5, 1), roundingDivideByPOT(-6, 2)]).toEqual([-3, 3, -2]);
  });

  it('tfliteRequantize equals the BigInt version, and QuantizeMultiplier reproduces the real multiplier to 2^-31', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 24), max: 2 ** 24 }), fc.double({ min: 1e-6, max: 0.99, noNaN: true }), (acc, real) => {
        const { multiplier, shift } = quantizeMultiplier(real);
        expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
        expect(multiplier).toBeLessThan(2 ** 31);
        expect(Math.abs(multiplier * 2 ** (shift - 31) - real) / real).toBeLessThanOrEqual(2 ** -30);
        const out = signed(8);
        expect(BigInt(tfliteRequantize(acc, multiplier, shift, out))).toBe(tfliteRequantizeBig(BigInt(acc), BigInt(multiplier), shift, out));
        // Within one LSB of the exact real product (the fixed point rounds twice).
        expect(Math.abs(multiplyByQuantizedMultiplier(acc, multiplier, shift) - acc * real)).toBeLessThanOrEqual(1 + Math.abs(acc) * real * 2 ** -30);
        compared++;
      }),
      { numRuns: 3000 },
    );
  });

  it('compared a non-zero number of outputs', () => {
    expect(compared).toBeGreaterThan(50000);
  });
});
