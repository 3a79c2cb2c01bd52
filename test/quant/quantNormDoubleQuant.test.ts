// QuantNorm and Double Quantization: errors against float, and monotone
// non-increasing in the integer width (property tests), with a printed table.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantNormFit, doubleQuantize, seededRandom } from '../../src/quant/index.ts';

/** Exact largest output error of QuantNorm over every accumulator in [-A, A] (the error is linear in acc: check both ends). */
function measuredQuantNormError(g: number[], h: number[], a: number, bits: number): number {
  const r = quantNormFit({ multipliers: g, offsets: h, accMaxAbs: a, multiplierBits: bits });
  let worst = 0;
  g.forEach((gc, c) => {
    for (const acc of [-a, a, 0]) {
      const intOut = (acc * r.multipliers[c]! + r.offsets[c]!) * 2 ** -r.shift;
      worst = Math.max(worst, Math.abs(intOut - (gc * acc + h[c]!)));
    }
  });
  expect(worst).toBeLessThanOrEqual(r.errorBound * (1 + 1e-9));
  return worst;
}

const bnArb = fc.record({
  g: fc.array(fc.double({ min: 1e-4, max: 50, noNaN: true }), { minLength: 1, maxLength: 16 }),
  hScale: fc.double({ min: 0, max: 1000, noNaN: true }),
  a: fc.integer({ min: 1, max: 1 << 20 }),
});

describe('QuantNorm', () => {
  it('error is monotone non-increasing in multiplier bits 2..16 (property)', () => {
    fc.assert(
      fc.property(bnArb, ({ g, hScale, a }) => {
        const h = g.map((v, i) => (i % 2 ? -1 : 1) * hScale * v);
        let prev = Infinity;
        for (let bits = 2; bits <= 16; bits++) {
          const e = measuredQuantNormError(g, h, a, bits);
          expect(e).toBeLessThanOrEqual(prev);
          prev = e;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reports the error against float batch norm (seed 3, 32 channels, |acc| <= 2^12)', () => {
    const rnd = seededRandom(3);
    const gamma = Array.from({ length: 32 }, () => 0.5 + rnd.next());
    const variance = Array.from({ length: 32 }, () => 0.01 + rnd.next());
    const g = gamma.map((x, i) => (x / Math.sqrt(variance[i]! + 1e-5)) * 0.01); // times accumulator scale
    const h = g.map(() => rnd.gaussian());
    const rows: string[] = [];
    let prev = Infinity;
    for (const bits of [2, 4, 6, 8, 12, 16]) {
      const e = measuredQuantNormError(g, h, 4096, bits);
      rows.push(`  ${String(bits).padStart(2)} bits: max |error| = ${e.toExponential(3)} (output units)`);
      expect(e).toBeLessThanOrEqual(prev);
      prev = e;
    }
    console.log(`QuantNorm error vs float batch norm:\n${rows.join('\n')}`);
    expect(prev).toBeLessThan(0.01);
  });

  it('refuses multiplier widths outside 2..16', () => {
    expect(() => quantNormFit({ multipliers: [1], offsets: [0], accMaxAbs: 1, multiplierBits: 17 })).toThrow('multiplierBits 17 is invalid');
  });
});

describe('Double Quantization', () => {
  it('relative scale error is monotone non-increasing in scale bits 2..16 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-9, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 16 }), (scales) => {
        let prev = Infinity;
        for (let bits = 2; bits <= 16; bits++) {
          const r = doubleQuantize(scales, bits);
          scales.forEach((s, c) => expect(Math.abs(s - r.multipliers[c]! * 2 ** -r.shift) / s).toBeLessThanOrEqual(r.maxRelativeError * (1 + 1e-12)));
          expect(r.maxRelativeError).toBeLessThanOrEqual(prev);
          prev = r.maxRelativeError;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a single scale with b bits has relative error <= 2^-b (one scale: Q in [2^(b-1), 2^b))', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 16 }), (s, bits) => {
        expect(doubleQuantize([s], bits).maxRelativeError).toBeLessThanOrEqual(2 ** -bits);
      }),
    );
  });
});
