/**
 * Window sums of a padded average pool (docs/semantics.md, "Average
 * pooling"): padded positions are left out of the window, so each output has
 * its own count of real inputs (ONNX `count_include_pad = 0`). `padding < k`
 * keeps at least one real input in every window. Unpadded pools keep the
 * fixed-count kernels of convInt.ts and kernelsBig.ts.
 */
import { checkLength, type WindowGeometry } from './geometry.ts';

/** Real input rows (or columns) [lo, hi) of output row (column) `o`. */
function span(o: number, g: WindowGeometry, size: number): [number, number] {
  const start = o * g.stride - g.padding;
  return [Math.max(0, start), Math.min(size, start + g.kernel)];
}

/** Number of real inputs in each output position's window (per pixel, channels share it). */
export function paddedPoolCounts(g: WindowGeometry): Int32Array {
  const counts = new Int32Array(g.outH * g.outW);
  for (let oy = 0; oy < g.outH; oy++) {
    const [y0, y1] = span(oy, g, g.inH);
    for (let ox = 0; ox < g.outW; ox++) {
      const [x0, x1] = span(ox, g, g.inW);
      counts[oy * g.outW + ox] = (y1 - y0) * (x1 - x0);
    }
  }
  return counts;
}

function sumsInto<T>(x: ArrayLike<T>, g: WindowGeometry, zero: T, add: (a: T, b: T) => T): T[] {
  const { inH, inW, inC: c, outH, outW } = g;
  checkLength('avgPool input', x.length, inH * inW * c);
  if (g.padding >= g.kernel) throw new RangeError(`avgPool: padding ${g.padding} must be below the kernel ${g.kernel}`);
  const out: T[] = [];
  for (let oy = 0; oy < outH; oy++) {
    const [y0, y1] = span(oy, g, inH);
    for (let ox = 0; ox < outW; ox++) {
      const [x0, x1] = span(ox, g, inW);
      for (let ch = 0; ch < c; ch++) {
        let s = zero;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s = add(s, x[(iy * inW + ix) * c + ch]!);
        out.push(s);
      }
    }
  }
  return out;
}

/** Window sums over the real inputs (numbers: exact while the caller has proved them safe integers, or float). */
export function paddedPoolSums(x: ArrayLike<number>, g: WindowGeometry): number[] {
  return sumsInto(x, g, 0, (a, b) => a + b);
}

/** The BigInt twin of paddedPoolSums. */
export function paddedPoolSumsBig(x: readonly bigint[], g: WindowGeometry): bigint[] {
  return sumsInto(x, g, 0n, (a, b) => a + b);
}
