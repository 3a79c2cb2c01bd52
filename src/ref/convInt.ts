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

/** Pointwise convolution over `pixels` positions: acc[p][o] = sum_i w[o][i] * x[p][i]. */
export function pointwiseAccumulate(x: Int32Array, pixels: number, inC: number, w: Int32Array, outC: number, acc: Float64Array): void {
  checkLength('pointwise input', x.length, pixels * inC);
  checkLength('pointwise weights', w.length, outC * inC);
  checkLength('pointwise output', acc.length, pixels * outC);
  for (let p = 0; p < pixels; p++) {
    const xBase = p * inC;
    const outBase = p * outC;
    for (let o = 0; o < outC; o++) {
      const wBase = o * inC;
      let s = 0;
      for (let i = 0; i < inC; i++) s += w[wBase + i]! * x[xBase + i]!;
      acc[outBase + o] = s;
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
          for (let ch = 0; ch < c; ch++) acc[outBase + ch] += w[wBase + ch]! * x[xBase + ch]!;
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
          for (let ch = 0; ch < c; ch++) sum[outBase + ch] += x[xBase + ch]!;
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
    for (let ch = 0; ch < c; ch++) sum[ch] += x[base + ch]!;
  }
}
