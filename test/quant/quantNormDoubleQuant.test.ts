// QuantNorm and Double Quantization: errors against float, and monotone
// non-increasing in the integer width (property tests), with a printed table.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantNormFit, doubleQuantize, seededRandom, exactRational as Q, type Rational } from '../../src/quant/index.ts';

/** Exact largest output error of QuantNorm over every accumulator in [-A, A]
 *  (the error is linear in acc, so its maximum is at an end), in exact rationals. */
function measuredQuantNormError(g: number[], h: number[], a: number, bits: number): Rational {
  const r = quantNormFit({ multipliers: g, offsets: h, accMaxAbs: a, multiplierBits: bits });
  let worst = Q.ZERO;
  g.forEach((gc, c) => {
    for (const acc of [-a, a, 0]) {
      const intOut = Q.dyadic(BigInt(acc) * BigInt(r.multipliers[c]!) + BigInt(r.offsets[c]!), r.shift);
      const floatOut = Q.add(Q.mul(Q.fromNumber(gc), Q.fromInt(acc)), Q.fromNumber(h[c]!));
      worst = Q.maxOf(worst, Q.abs(Q.sub(intOut, floatOut)));
    }
  });
  expect(Q.cmp(worst, r.exactErrorBound)).toBe(0); // the bound is attained: it is the error
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
        let prev: Rational | undefined;
        for (let bits = 2; bits <= 16; bits++) {
          const e = measuredQuantNormError(g, h, a, bits);
          if (prev !== undefined) expect(Q.cmp(e, prev)).toBeLessThanOrEqual(0);
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
      const e = Q.toNumber(measuredQuantNormError(g, h, 4096, bits));
      rows.push(`  ${String(bits).padStart(2)} bits: max |error| = ${e.toExponential(3)} (float BN output units; outputs span about +-${Math.round(4096 * Math.max(...g))})`);
      expect(e).toBeLessThanOrEqual(prev);
      prev = e;
    }
    console.log(`QuantNorm error vs float batch norm (seed 3):\n${rows.join('\n')}`);
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
        let prev: Rational | undefined;
        for (let bits = 2; bits <= 16; bits++) {
          const r = doubleQuantize(scales, bits);
          scales.forEach((s, c) => {
            const rel = Q.div(Q.abs(Q.sub(Q.fromNumber(s), Q.dyadic(r.multipliers[c]!, r.shift))), Q.fromNumber(s));
            expect(Q.cmp(rel, r.exactMaxRelativeError)).toBeLessThanOrEqual(0);
          });
          if (prev !== undefined) expect(Q.cmp(r.exactMaxRelativeError, prev)).toBeLessThanOrEqual(0);
          prev = r.exactMaxRelativeError;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reports the scale error for 16 per-channel scales (seed 5)', () => {
    const rnd = seededRandom(5);
    const scales = Array.from({ length: 16 }, () => 10 ** rnd.uniform(-4, -2));
    const rows: string[] = [];
    let prev = Infinity;
    for (const bits of [2, 4, 6, 8, 12, 16]) {
      const r = doubleQuantize(scales, bits);
      rows.push(`  ${String(bits).padStart(2)} bits: shift ${String(r.shift).padStart(2)}, max relative error ${r.maxRelativeError.toExponential(3)}`);
      expect(r.maxRelativeError).toBeLessThanOrEqual(prev);
      prev = r.maxRelativeError;
    }
    console.log(`Double Quantization of 16 per-channel scales in [1e-4, 1e-2] (seed 5):\n${rows.join('\n')}`);
  });

  it('a single scale with b bits has relative error <= 2^-b (one scale: Q in [2^(b-1), 2^b))', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 16 }), (s, bits) => {
        expect(doubleQuantize([s], bits).maxRelativeError).toBeLessThanOrEqual(2 ** -bits);
      }),
    );
  });
});
