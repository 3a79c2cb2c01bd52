// Layer gradients against central finite differences on tiny random shapes.
// Each check uses the scalar L = sum(y * r) for a fixed random r, so dL/dy = r.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  convGeometry, conv2dForward, conv2dBackward, pointwiseForward, pointwiseBackward, depthwiseForward, depthwiseBackward,
  batchNormTrainForward, batchNormTrainBackward, batchNormFixedForward, batchNormFixedBackward, activationForward, activationBackward,
  globalAvgPoolForward, globalAvgPoolBackward, denseForward, denseBackward, softmaxCrossEntropy,
} from '../../src/train/layers.ts';
import { seededRandom } from '../../src/quant/index.ts';

const H = 1e-6;

function rand(n: number, seed: number, scale = 1): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length: n }, () => r.uniform(-scale, scale));
}

/** Numerical d(f)/d(v[i]) for every i, by central differences. */
function numericGrad(v: Float64Array, f: () => number): Float64Array {
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i]!;
    v[i] = keep + H;
    const up = f();
    v[i] = keep - H;
    const down = f();
    v[i] = keep;
    g[i] = (up - down) / (2 * H);
  }
  return g;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function expectClose(analytic: Float64Array, numeric: Float64Array): void {
  for (let i = 0; i < analytic.length; i++) expect(Math.abs(analytic[i]! - numeric[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(numeric[i]!)));
}

const convCase = fc.record({
  batch: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 5 }),
  w: fc.integer({ min: 1, max: 5 }),
  inC: fc.integer({ min: 1, max: 3 }),
  outC: fc.integer({ min: 1, max: 3 }),
  k: fc.constantFrom(1, 3),
  stride: fc.integer({ min: 1, max: 2 }),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe('layer gradients vs finite differences', () => {
  it('conv2d: dx and dw', () => {
    fc.assert(
      fc.property(convCase, ({ batch, h, w: wd, inC, outC, k, stride, seed }) => {
        const g = convGeometry(h, wd, inC, outC, k, stride, (k - 1) >> 1);
        const x = rand(batch * h * wd * inC, seed);
        const w = rand(outC * k * k * inC, seed + 1);
        const r = rand(batch * g.outH * g.outW * outC, seed + 2);
        const y = new Float64Array(r.length);
        const loss = (): number => (conv2dForward(x, w, y, g, batch), dot(y, r));
        const dx = new Float64Array(x.length);
        const dw = new Float64Array(w.length);
        conv2dBackward(x, w, r, dx, dw, g, batch);
        expectClose(dx, numericGrad(x, loss));
        expectClose(dw, numericGrad(w, loss));
      }),
      { numRuns: 30 },
    );
  });

  it('pointwise: dx and dw', () => {
    fc.assert(
      fc.property(convCase, ({ batch, h, inC, outC, seed }) => {
        const pixels = batch * h;
        const x = rand(pixels * inC, seed);
        const w = rand(outC * inC, seed + 1);
        const r = rand(pixels * outC, seed + 2);
        const y = new Float64Array(r.length);
        const loss = (): number => (pointwiseForward(x, w, y, inC, outC, pixels), dot(y, r));
        const dx = new Float64Array(x.length);
        const dw = new Float64Array(w.length);
        pointwiseBackward(x, w, r, dx, dw, inC, outC, pixels);
        expectClose(dx, numericGrad(x, loss));
        expectClose(dw, numericGrad(w, loss));
      }),
      { numRuns: 30 },
    );
  });

  it('depthwise: dx and dw', () => {
    fc.assert(
      fc.property(convCase, ({ batch, h, w: wd, inC, k, stride, seed }) => {
        const g = convGeometry(h, wd, inC, inC, k, stride, (k - 1) >> 1);
        const x = rand(batch * h * wd * inC, seed);
        const w = rand(k * k * inC, seed + 1);
        const r = rand(batch * g.outH * g.outW * inC, seed + 2);
        const y = new Float64Array(r.length);
        const loss = (): number => (depthwiseForward(x, w, y, g, batch), dot(y, r));
        const dx = new Float64Array(x.length);
        const dw = new Float64Array(w.length);
        depthwiseBackward(x, w, r, dx, dw, g, batch);
        expectClose(dx, numericGrad(x, loss));
        expectClose(dw, numericGrad(w, loss));
      }),
      { numRuns: 30 },
    );
  });

  it('batch norm (batch statistics and fixed statistics): dx, dgamma, dbeta', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1 << 30 }), (n, c, seed) => {
        const x = rand(n * c, seed, 2);
        const gamma = rand(c, seed + 1);
        const beta = rand(c, seed + 2);
        const r = rand(n * c, seed + 3);
        const y = new Float64Array(n * c);
        const xhat = new Float64Array(n * c);
        const mean = new Float64Array(c);
        const variance = new Float64Array(c);
        const invStd = new Float64Array(c);
        const eps = 1e-3;
        const lossTrain = (): number => (batchNormTrainForward(x, y, xhat, gamma, beta, mean, variance, invStd, c, n, eps), dot(y, r));
        lossTrain();
        const dx = new Float64Array(n * c);
        const dg = new Float64Array(c);
        const db = new Float64Array(c);
        batchNormTrainBackward(r, xhat, gamma, invStd, dx, dg, db, c, n);
        expectClose(dx, numericGrad(x, lossTrain));
        expectClose(dg, numericGrad(gamma, lossTrain));
        expectClose(db, numericGrad(beta, lossTrain));
        // Fixed statistics: mean and invStd are constants.
        const fixedMean = rand(c, seed + 4);
        const fixedInv = Float64Array.from(rand(c, seed + 5), (v) => 0.5 + Math.abs(v));
        const lossFixed = (): number => (batchNormFixedForward(x, y, xhat, gamma, beta, fixedMean, fixedInv, c, n), dot(y, r));
        lossFixed();
        batchNormFixedBackward(r, xhat, gamma, fixedInv, dx, dg, db, c, n);
        expectClose(dx, numericGrad(x, lossFixed));
        expectClose(dg, numericGrad(gamma, lossFixed));
        expectClose(db, numericGrad(beta, lossFixed));
      }),
      { numRuns: 30 },
    );
  });

  it('ReLU and ReLU6 (away from the kinks)', () => {
    fc.assert(
      fc.property(fc.constantFrom('relu' as const, 'relu6' as const), fc.integer({ min: 1, max: 1 << 30 }), (kind, seed) => {
        // Values in (-8, 8), kept 0.01 away from 0 and 6 so finite differences do not straddle a kink.
        const x = Float64Array.from(rand(12, seed, 8), (v) => (Math.abs(v) < 0.01 || Math.abs(v - 6) < 0.01 ? v + 0.05 : v));
        const r = rand(12, seed + 1);
        const y = new Float64Array(12);
        const loss = (): number => (activationForward(kind, x, y, 12), dot(y, r));
        const dx = new Float64Array(12);
        activationBackward(kind, x, r, dx, 12);
        expectClose(dx, numericGrad(x, loss));
      }),
      { numRuns: 30 },
    );
  });

  it('global average pooling, dense and softmax cross-entropy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1 << 30 }), (batch, hw, c, seed) => {
        const outF = 3;
        const x = rand(batch * hw * c, seed);
        const w = rand(outF * c, seed + 1);
        const bias = rand(outF, seed + 2);
        const labels = Array.from({ length: batch }, (_, b) => (seed + b) % outF);
        const pooled = new Float64Array(batch * c);
        const logits = new Float64Array(batch * outF);
        const dlogits = new Float64Array(batch * outF);
        const loss = (): number => {
          globalAvgPoolForward(x, pooled, hw, c, batch);
          denseForward(pooled, w, bias, logits, c, outF, batch);
          return softmaxCrossEntropy(logits, labels, dlogits, outF, batch);
        };
        loss();
        const dPooled = new Float64Array(batch * c);
        const dw = new Float64Array(w.length);
        const db = new Float64Array(outF);
        denseBackward(pooled, w, dlogits, dPooled, dw, db, c, outF, batch);
        const dx = new Float64Array(x.length);
        globalAvgPoolBackward(dPooled, dx, hw, c, batch);
        expectClose(dx, numericGrad(x, loss));
        expectClose(dw, numericGrad(w, loss));
        expectClose(db, numericGrad(bias, loss));
      }),
      { numRuns: 30 },
    );
  });
});
