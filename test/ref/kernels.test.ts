// The fast integer kernels equal the BigInt ones on random shapes and extreme
// values; the float kernels agree with the integer ones on integer data.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minOf, maxOf, signed, unsigned, type Shape } from '../../src/arith/index.ts';
import {
  conv2dAccumulate, depthwiseConv2dAccumulate, denseAccumulate, poolSum, globalPoolSum, windowGeometry, pointwiseAccumulate,
  conv2dAccumulateBig, depthwiseConv2dAccumulateBig, denseAccumulateBig, poolSumBig,
  conv2dFloat, depthwiseConv2dFloat,
} from '../../src/ref/index.ts';

/** Values of a shape, biased toward the extremes (the corners that overflow narrow accumulators). */
const valuesOf = (s: Shape, n: number): fc.Arbitrary<number[]> => {
  const lo = Number(minOf(s));
  const hi = Number(maxOf(s));
  return fc.array(fc.oneof(fc.constantFrom(lo, hi), fc.integer({ min: lo, max: hi })), { minLength: n, maxLength: n });
};

const geometryArb = fc
  .record({
    kernel: fc.constantFrom(1, 3, 5, 7),
    stride: fc.constantFrom(1, 2),
    pad: fc.nat(6),
    extraH: fc.nat(5),
    extraW: fc.nat(5),
    inC: fc.integer({ min: 1, max: 5 }),
    outC: fc.integer({ min: 1, max: 4 }),
    wBits: fc.integer({ min: 1, max: 8 }),
    aBits: fc.integer({ min: 1, max: 8 }),
    aSigned: fc.boolean(),
  })
  .map((r) => {
    const padding = r.pad % r.kernel;
    return { ...r, padding, h: Math.max(1, r.kernel - 2 * padding) + r.extraH, w: Math.max(1, r.kernel - 2 * padding) + r.extraW };
  });

let compared = 0;

describe('integer kernels equal the BigInt kernels', () => {
  it('conv2d (kernel 1/3/5/7, stride 1/2, padding) on random shapes and extremes', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((g) =>
          fc.tuple(fc.constant(g), valuesOf(g.aSigned ? signed(Math.max(2, g.aBits)) : unsigned(g.aBits), g.h * g.w * g.inC), valuesOf(signed(Math.max(2, g.wBits)), g.outC * g.kernel * g.kernel * g.inC)),
        ),
        ([g, xs, ws]) => {
          const geo = windowGeometry(g.h, g.w, g.inC, g.kernel, g.stride, g.padding, g.outC);
          const acc = new Float64Array(geo.outH * geo.outW * geo.outC);
          conv2dAccumulate(Int32Array.from(xs), geo, Int32Array.from(ws), acc);
          const big = conv2dAccumulateBig(xs.map(BigInt), geo, ws.map(BigInt));
          expect(Array.from(acc, BigInt)).toEqual(big);
          const fl = new Float64Array(acc.length);
          conv2dFloat(Float64Array.from(xs), geo, Float64Array.from(ws), fl);
          expect(Array.from(fl)).toEqual(Array.from(acc));
          compared += acc.length;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('depthwise conv2d on random shapes and extremes', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((g) => fc.tuple(fc.constant(g), valuesOf(unsigned(g.aBits), g.h * g.w * g.inC), valuesOf(signed(Math.max(2, g.wBits)), g.kernel * g.kernel * g.inC))),
        ([g, xs, ws]) => {
          const geo = windowGeometry(g.h, g.w, g.inC, g.kernel, g.stride, g.padding, g.inC);
          const acc = new Float64Array(geo.outH * geo.outW * geo.inC);
          depthwiseConv2dAccumulate(Int32Array.from(xs), geo, Int32Array.from(ws), acc);
          expect(Array.from(acc, BigInt)).toEqual(depthwiseConv2dAccumulateBig(xs.map(BigInt), geo, ws.map(BigInt)));
          const fl = new Float64Array(acc.length);
          depthwiseConv2dFloat(Float64Array.from(xs), geo, Float64Array.from(ws), fl);
          expect(Array.from(fl)).toEqual(Array.from(acc));
          compared += acc.length;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('dense, with the all-max and all-min corners of 8-bit operands over 4096 terms', () => {
    const n = 4096;
    for (const [xv, wv] of [[255, -128], [255, 127], [-128, -128], [127, -128]] as const) {
      const acc = new Float64Array(1);
      denseAccumulate(new Int32Array(n).fill(xv), new Int32Array(n).fill(wv), 1, acc);
      expect(acc[0]).toBe(n * xv * wv);
      compared++;
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 8 }), (inF, outF) => {
        const xs = Array.from({ length: inF }, (_, i) => ((i * 37) % 255) - 127);
        const ws = Array.from({ length: inF * outF }, (_, i) => ((i * 11) % 15) - 7);
        const acc = new Float64Array(outF);
        denseAccumulate(Int32Array.from(xs), Int32Array.from(ws), outF, acc);
        expect(Array.from(acc, BigInt)).toEqual(denseAccumulateBig(xs.map(BigInt), ws.map(BigInt), outF));
        compared += outF;
      }),
    );
  });

  it('pool sums (k x k and global)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), (k, stride, extra, c) => {
        const h = k + extra;
        const xs = Array.from({ length: h * h * c }, (_, i) => (i * 7919) % 256);
        const geo = windowGeometry(h, h, c, k, stride, 0, c);
        const s = new Float64Array(geo.outH * geo.outW * c);
        poolSum(Int32Array.from(xs), geo, s);
        expect(Array.from(s, BigInt)).toEqual(poolSumBig(xs.map(BigInt), h, h, c, k, k, stride));
        const gs = new Float64Array(c);
        globalPoolSum(Int32Array.from(xs), h * h, c, gs);
        expect(Array.from(gs, BigInt)).toEqual(poolSumBig(xs.map(BigInt), h, h, c, h, h, 1));
        compared += s.length + c;
      }),
    );
  });

  it('compared a non-zero number of outputs', () => {
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('pointwise: both the int32 and the double path equal BigInt', () => {
  it('random sizes (odd pixel counts, outC not a multiple of 4), small and huge operands', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }), (pixels, inC, outC, huge, seed) => {
        let s = seed;
        const next = (m: number): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return (s % (2 * m + 1)) - m;
        };
        const mx = huge ? 1 << 22 : 255; // huge: inC * 2^22 * 2^22 > 2^31 forces the double path
        const xs = Array.from({ length: pixels * inC }, () => next(mx));
        const ws = Array.from({ length: outC * inC }, () => next(mx));
        const acc = new Float64Array(pixels * outC);
        pointwiseAccumulate(Int32Array.from(xs), pixels, inC, Int32Array.from(ws), outC, acc);
        const g = windowGeometry(pixels, 1, inC, 1, 1, 0, outC);
        expect(Array.from(acc, BigInt)).toEqual(conv2dAccumulateBig(xs.map(BigInt), g, ws.map(BigInt)));
      }),
      { numRuns: 400 },
    );
  });
});
