/**
 * Geometry of a 2-D window operation (convolution or pooling) on an NHWC
 * tensor without the batch dimension: index of (y, x, c) is (y*W + x)*C + c.
 * Padding is symmetric and pads with 0, which is exact in this project's
 * zero-point-free quantization (real 0 is integer 0).
 */
import { convOutputSize } from '../model/networkRules.ts';

export interface WindowGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
}

export function windowGeometry(inH: number, inW: number, inC: number, kernel: number, stride: number, padding: number, outC: number): WindowGeometry {
  const outH = convOutputSize(inH, kernel, stride, padding);
  const outW = convOutputSize(inW, kernel, stride, padding);
  if (outH < 1 || outW < 1) throw new RangeError(`window ${kernel}x${kernel} (stride ${stride}, padding ${padding}) does not fit a ${inH}x${inW} input`);
  return Object.freeze({ inH, inW, inC, outH, outW, outC, kernel, stride, padding });
}

export function checkLength(what: string, got: number, expected: number): void {
  if (got !== expected) throw new RangeError(`${what}: expected ${expected} elements, got ${got}`);
}
