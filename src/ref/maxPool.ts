/**
 * Max pooling, k x k window, stride s, symmetric padding p < k
 * (docs/semantics.md, "Max pooling"). Padded positions are excluded from the
 * window, i.e. they never win, as ONNX's and PyTorch's -inf padding: because
 * p < k every window holds at least one real input. One kernel serves the
 * float and the integer reference: a maximum of integers is exact in any
 * array type, so there is no BigInt twin.
 */
import { checkLength, type WindowGeometry } from './geometry.ts';

/** out[oy][ox][c] = max over the real inputs of the window (NHWC, channel fastest). */
export function maxPoolInto(x: ArrayLike<number>, g: WindowGeometry, out: { [i: number]: number; readonly length: number }): void {
  const { inH, inW, inC: c, outH, outW, kernel: k, stride, padding } = g;
  checkLength('maxPool input', x.length, inH * inW * c);
  checkLength('maxPool output', out.length, outH * outW * c);
  if (padding >= k) throw new RangeError(`maxPool: padding ${padding} must be below the kernel ${k}`);
  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * stride - padding;
    const yLo = Math.max(0, y0);
    const yHi = Math.min(inH, y0 + k);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * stride - padding;
      const xLo = Math.max(0, x0);
      const xHi = Math.min(inW, x0 + k);
      const outBase = (oy * outW + ox) * c;
      for (let ch = 0; ch < c; ch++) {
        let m = -Infinity;
        for (let iy = yLo; iy < yHi; iy++) {
          for (let ix = xLo; ix < xHi; ix++) {
            const v = x[(iy * inW + ix) * c + ch]!;
            if (v > m) m = v;
          }
        }
        out[outBase + ch] = m;
      }
    }
  }
}
