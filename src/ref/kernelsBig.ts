/**
 * BigInt versions of the accumulation kernels, written for obviousness, not
 * speed: each output is one explicit sum over its window, indices spelled out.
 * Property tests hold the fast kernels (convInt.ts) equal to these, and a
 * layer whose widths fail the 2^53 proof runs on these.
 */
import type { WindowGeometry } from './geometry.ts';

const at = (y: number, x: number, c: number, w: number, ch: number): number => (y * w + x) * ch + c;

export function conv2dAccumulateBig(x: readonly bigint[], g: WindowGeometry, w: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let oc = 0; oc < g.outC; oc++) {
        let s = 0n;
        for (let ky = 0; ky < g.kernel; ky++) {
          for (let kx = 0; kx < g.kernel; kx++) {
            for (let ic = 0; ic < g.inC; ic++) {
              const iy = oy * g.stride - g.padding + ky;
              const ix = ox * g.stride - g.padding + kx;
              const inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
              const xv = inside ? x[at(iy, ix, ic, g.inW, g.inC)]! : 0n; // zero padding
              s += w[((oc * g.kernel + ky) * g.kernel + kx) * g.inC + ic]! * xv;
            }
          }
        }
        out.push(s);
      }
    }
  }
  return out;
}

export function depthwiseConv2dAccumulateBig(x: readonly bigint[], g: WindowGeometry, w: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let c = 0; c < g.inC; c++) {
        let s = 0n;
        for (let ky = 0; ky < g.kernel; ky++) {
          for (let kx = 0; kx < g.kernel; kx++) {
            const iy = oy * g.stride - g.padding + ky;
            const ix = ox * g.stride - g.padding + kx;
            const inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
            s += w[(ky * g.kernel + kx) * g.inC + c]! * (inside ? x[at(iy, ix, c, g.inW, g.inC)]! : 0n);
          }
        }
        out.push(s);
      }
    }
  }
  return out;
}

export function denseAccumulateBig(x: readonly bigint[], w: readonly bigint[], outF: number): bigint[] {
  const out: bigint[] = [];
  for (let o = 0; o < outF; o++) {
    let s = 0n;
    for (let i = 0; i < x.length; i++) s += w[o * x.length + i]! * x[i]!;
    out.push(s);
  }
  return out;
}

/** Window sums of a kh x kw pool without padding (global pooling: kh = H, kw = W). */
export function poolSumBig(x: readonly bigint[], inH: number, inW: number, c: number, kh: number, kw: number, stride: number): bigint[] {
  const outH = Math.floor((inH - kh) / stride) + 1;
  const outW = Math.floor((inW - kw) / stride) + 1;
  const out: bigint[] = [];
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0n;
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) s += x[at(oy * stride + ky, ox * stride + kx, ch, inW, c)]!;
        out.push(s);
      }
    }
  }
  return out;
}
