/**
 * Float kernels of the same layers (Float64Array in and out, same layouts and
 * zero padding as convInt.ts): the float network runs on these, and
 * quantization error is measured against them.
 */
import type { WindowGeometry } from './geometry.ts';
import { checkLength } from './geometry.ts';

export function conv2dFloat(x: Float64Array, g: WindowGeometry, w: Float64Array, out: Float64Array): void {
  const { inH, inW, inC, outH, outW, outC, kernel: k, stride, padding } = g;
  checkLength('conv2d input', x.length, inH * inW * inC);
  checkLength('conv2d weights', w.length, outC * k * k * inC);
  checkLength('conv2d output', out.length, outH * outW * outC);
  // Four output channels at a time: four independent sums share each input load, so the
  // float adds no longer wait on one another. Each sum still adds its terms in the order
  // (ky, kx, ic) from 0, so every output is bit-identical to one channel at a time.
  const filter = k * k * inC;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const outBase = (oy * outW + ox) * outC;
      let oc = 0;
      for (; oc + 4 <= outC; oc += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * stride - padding + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * stride - padding + kx;
            if (ix < 0 || ix >= inW) continue;
            const w0 = ((oc * k + ky) * k + kx) * inC;
            const w1 = w0 + filter;
            const w2 = w1 + filter;
            const w3 = w2 + filter;
            const xBase = (iy * inW + ix) * inC;
            for (let ic = 0; ic < inC; ic++) {
              const xv = x[xBase + ic]!;
              s0 += w[w0 + ic]! * xv;
              s1 += w[w1 + ic]! * xv;
              s2 += w[w2 + ic]! * xv;
              s3 += w[w3 + ic]! * xv;
            }
          }
        }
        out[outBase + oc] = s0;
        out[outBase + oc + 1] = s1;
        out[outBase + oc + 2] = s2;
        out[outBase + oc + 3] = s3;
      }
      for (; oc < outC; oc++) {
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
        out[outBase + oc] = s;
      }
    }
  }
}

export function depthwiseConv2dFloat(x: Float64Array, g: WindowGeometry, w: Float64Array, out: Float64Array): void {
  const { inH, inW, inC: c, outH, outW, kernel: k, stride, padding } = g;
  checkLength('depthwiseConv2d input', x.length, inH * inW * c);
  checkLength('depthwiseConv2d weights', w.length, k * k * c);
  checkLength('depthwiseConv2d output', out.length, outH * outW * c);
  out.fill(0);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const outBase = (oy * outW + ox) * c;
      for (let ky = 0; ky < k; ky++) {
        const iy = oy * stride - padding + ky;
        if (iy < 0 || iy >= inH) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox * stride - padding + kx;
          if (ix < 0 || ix >= inW) continue;
          const wBase = (ky * k + kx) * c;
          const xBase = (iy * inW + ix) * c;
          for (let ch = 0; ch < c; ch++) out[outBase + ch]! += w[wBase + ch]! * x[xBase + ch]!;
        }
      }
    }
  }
}

export function denseFloat(x: Float64Array, w: Float64Array, outF: number, out: Float64Array): void {
  const inF = x.length;
  checkLength('dense weights', w.length, outF * inF);
  checkLength('dense output', out.length, outF);
  for (let o = 0; o < outF; o++) {
    let s = 0;
    for (let i = 0; i < inF; i++) s += w[o * inF + i]! * x[i]!;
    out[o] = s;
  }
}

/** Average pooling, k x k window (kh = kw = k) or global (kh = H, kw = W), no padding. */
export function avgPoolFloat(x: Float64Array, inH: number, inW: number, c: number, kh: number, kw: number, stride: number, out: Float64Array): void {
  const outH = Math.floor((inH - kh) / stride) + 1;
  const outW = Math.floor((inW - kw) / stride) + 1;
  checkLength('avgPool output', out.length, outH * outW * c);
  const n = kh * kw;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) s += x[((oy * stride + ky) * inW + ox * stride + kx) * c + ch]!;
        out[(oy * outW + ox) * c + ch] = s / n;
      }
    }
  }
}

/** Batch norm on NHWC (channel = index mod C): y = gamma*(x - mean)/sqrt(var + eps) + beta. */
export function batchNormFloat(x: Float64Array, c: number, gamma: readonly number[], beta: readonly number[], mean: readonly number[], variance: readonly number[], eps: number): void {
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    x[i] = (gamma[ch]! * (x[i]! - mean[ch]!)) / Math.sqrt(variance[ch]! + eps) + beta[ch]!;
  }
}

/** The add layer's sum, elementwise into y (its activation follows, as after every layer). */
export function addFloat(a: Float64Array, b: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = a[i]! + b[i]!;
}

export type FloatActivation = { readonly kind: 'none' | 'relu' | 'relu6' } | { readonly kind: 'prelu'; readonly slopes: readonly number[] };

export function activationFloat(x: Float64Array, c: number, act: FloatActivation): void {
  switch (act.kind) {
    case 'none':
      return;
    case 'relu':
      for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < x.length; i++) x[i] = Math.min(6, Math.max(0, x[i]!));
      return;
    case 'prelu':
      for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = x[i]! * act.slopes[i % c]!;
      return;
  }
}
