/**
 * Integer accumulation kernels: conv2d, depthwise, pointwise (conv2d with a
 * 1x1 kernel, stride 1, no padding: a matrix product, given its own loop
 * because it dominates MobileNet-style networks) and dense. They produce the
 * raw dot products (no bias, no requantization) into a Float64Array.
 *
 * Exactness: each product and partial sum is an integer bounded by the
 * accumulator range the caller proved (src/arith accumulatorRange) to be
 * below 2^53, so double arithmetic is exact. Inner loops allocate nothing.
 * Layouts: see src/model/network.ts.
 */
import type { WindowGeometry } from './geometry.ts';
import { checkLength } from './geometry.ts';

export function conv2dAccumulate(x: Int32Array, g: WindowGeometry, w: Int32Array, acc: Float64Array): void {
  const { inH, inW, inC, outH, outW, outC, kernel: k, stride, padding } = g;
  checkLength('conv2d input', x.length, inH * inW * inC);
  checkLength('conv2d weights', w.length, outC * k * k * inC);
  checkLength('conv2d output', acc.length, outH * outW * outC);
  if (k === 1 && stride === 1 && padding === 0) {
    pointwiseAccumulate(x, inH * inW, inC, w, outC, acc);
    return;
  }
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const outBase = (oy * outW + ox) * outC;
      for (let oc = 0; oc < outC; oc++) {
        let s = 0;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * stride - padding + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * stride - padding + kx;
            if (ix < 0 || ix >= inW) continue;
            const wBase = ((oc * k + ky) * k + kx) * inC;
            const xBase = (iy * inW + ix) * inC;
            for (let ic = 0; ic < inC; ic++) s += w[wBase + ic]! * x[xBase + ic]!;
          }
        }
        acc[outBase + oc] = s;
      }
    }
  }
}

/**
 * Pointwise convolution over `pixels` positions: acc[p][o] = sum_i w[o][i] * x[p][i].
 *
 * The hot loop of separable networks, register-blocked (4 output channels at
 * a time, and 2 pixels in the int32 variant) so that each loaded operand is
 * used several times and independent sums overlap. Exactness: a scan of the
 * operands bounds every partial sum by inC * max|w| * max|x|; when that is
 * below 2^31 the sums run in int32 (`| 0` never wraps then), otherwise in
 * doubles (exact below 2^53, which the caller's accumulator proof covers).
 * Summation order does not matter: integer addition is exact in both.
 */
export function pointwiseAccumulate(x: Int32Array, pixels: number, inC: number, w: Int32Array, outC: number, acc: Float64Array): void {
  checkLength('pointwise input', x.length, pixels * inC);
  checkLength('pointwise weights', w.length, outC * inC);
  checkLength('pointwise output', acc.length, pixels * outC);
  if (inC * maxAbs(w) * maxAbs(x) <= 0x7fffffff) pointwiseInt32(x, pixels, inC, w, outC, acc);
  else pointwiseDouble(x, pixels, inC, w, outC, acc);
}

function maxAbs(a: Int32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v > m) m = v;
    else if (-v > m) m = -v;
  }
  return m;
}

function pointwiseInt32(x: Int32Array, pixels: number, inC: number, w: Int32Array, outC: number, acc: Float64Array): void {
  const o4 = outC - (outC % 4);
  let p = 0;
  for (; p + 1 < pixels; p += 2) {
    const xa = p * inC;
    const xb = xa + inC;
    const oa = p * outC;
    const ob = oa + outC;
    let o = 0;
    for (; o < o4; o += 4) {
      const w0 = o * inC;
      const w1 = w0 + inC;
      const w2 = w1 + inC;
      const w3 = w2 + inC;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0; // prettier-ignore
      for (let i = 0; i < inC; i++) {
        const u = x[xa + i]!;
        const v = x[xb + i]!;
        const k0 = w[w0 + i]!;
        const k1 = w[w1 + i]!;
        const k2 = w[w2 + i]!;
        const k3 = w[w3 + i]!;
        a0 = (a0 + Math.imul(k0, u)) | 0;
        a1 = (a1 + Math.imul(k1, u)) | 0;
        a2 = (a2 + Math.imul(k2, u)) | 0;
        a3 = (a3 + Math.imul(k3, u)) | 0;
        b0 = (b0 + Math.imul(k0, v)) | 0;
        b1 = (b1 + Math.imul(k1, v)) | 0;
        b2 = (b2 + Math.imul(k2, v)) | 0;
        b3 = (b3 + Math.imul(k3, v)) | 0;
      }
      acc[oa + o] = a0;
      acc[oa + o + 1] = a1;
      acc[oa + o + 2] = a2;
      acc[oa + o + 3] = a3;
      acc[ob + o] = b0;
      acc[ob + o + 1] = b1;
      acc[ob + o + 2] = b2;
      acc[ob + o + 3] = b3;
    }
    for (; o < outC; o++) {
      const wb = o * inC;
      let a = 0;
      let b = 0;
      for (let i = 0; i < inC; i++) {
        const k = w[wb + i]!;
        a = (a + Math.imul(k, x[xa + i]!)) | 0;
        b = (b + Math.imul(k, x[xb + i]!)) | 0;
      }
      acc[oa + o] = a;
      acc[ob + o] = b;
    }
  }
  if (p < pixels) pointwiseDouble(x.subarray(p * inC), pixels - p, inC, w, outC, acc.subarray(p * outC));
}

function pointwiseDouble(x: Int32Array, pixels: number, inC: number, w: Int32Array, outC: number, acc: Float64Array): void {
  const o4 = outC - (outC % 4);
  for (let p = 0; p < pixels; p++) {
    const xb = p * inC;
    const ob = p * outC;
    let o = 0;
    for (; o < o4; o += 4) {
      const w0 = o * inC;
      const w1 = w0 + inC;
      const w2 = w1 + inC;
      const w3 = w2 + inC;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      for (let i = 0; i < inC; i++) {
        const v = x[xb + i]!;
        s0 += w[w0 + i]! * v;
        s1 += w[w1 + i]! * v;
        s2 += w[w2 + i]! * v;
        s3 += w[w3 + i]! * v;
      }
      acc[ob + o] = s0;
      acc[ob + o + 1] = s1;
      acc[ob + o + 2] = s2;
      acc[ob + o + 3] = s3;
    }
    for (; o < outC; o++) {
      const wb = o * inC;
      let s = 0;
      for (let i = 0; i < inC; i++) s += w[wb + i]! * x[xb + i]!;
      acc[ob + o] = s;
    }
  }
}

export function depthwiseConv2dAccumulate(x: Int32Array, g: WindowGeometry, w: Int32Array, acc: Float64Array): void {
  const { inH, inW, inC: c, outH, outW, kernel: k, stride, padding } = g;
  checkLength('depthwiseConv2d input', x.length, inH * inW * c);
  checkLength('depthwiseConv2d weights', w.length, k * k * c);
  checkLength('depthwiseConv2d output', acc.length, outH * outW * c);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const outBase = (oy * outW + ox) * c;
      for (let ch = 0; ch < c; ch++) acc[outBase + ch] = 0;
      for (let ky = 0; ky < k; ky++) {
        const iy = oy * stride - padding + ky;
        if (iy < 0 || iy >= inH) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox * stride - padding + kx;
          if (ix < 0 || ix >= inW) continue;
          const wBase = (ky * k + kx) * c;
          const xBase = (iy * inW + ix) * c;
          for (let ch = 0; ch < c; ch++) acc[outBase + ch]! += w[wBase + ch]! * x[xBase + ch]!;
        }
      }
    }
  }
}

/** Fully connected: acc[o] = sum_i w[o][i] * x[i], x flattened in H, W, C order. */
export function denseAccumulate(x: Int32Array, w: Int32Array, outF: number, acc: Float64Array): void {
  pointwiseAccumulate(x, 1, x.length, w, outF, acc);
}

/** Window sums of average pooling (no padding): sum[oy][ox][c] over the k x k window. */
export function poolSum(x: Int32Array, g: WindowGeometry, sum: Float64Array): void {
  const { inH, inW, inC: c, outH, outW, kernel: k, stride } = g;
  checkLength('avgPool input', x.length, inH * inW * c);
  checkLength('avgPool output', sum.length, outH * outW * c);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const outBase = (oy * outW + ox) * c;
      for (let ch = 0; ch < c; ch++) sum[outBase + ch] = 0;
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          const xBase = ((oy * stride + ky) * inW + ox * stride + kx) * c;
          for (let ch = 0; ch < c; ch++) sum[outBase + ch]! += x[xBase + ch]!;
        }
      }
    }
  }
}

/** Global pooling sums: sum[c] over all `pixels` positions. */
export function globalPoolSum(x: Int32Array, pixels: number, c: number, sum: Float64Array): void {
  checkLength('global avgPool input', x.length, pixels * c);
  checkLength('global avgPool output', sum.length, c);
  sum.fill(0);
  for (let p = 0; p < pixels; p++) {
    const base = p * c;
    for (let ch = 0; ch < c; ch++) sum[ch]! += x[base + ch]!;
  }
}
