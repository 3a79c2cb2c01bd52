/**
 * mnistTiny's separable architecture at a width multiplier: the same layers
 * and layer names (stem, b1_dw, b1_pw, ... fc), every channel count scaled by
 * `width` (rounded, at least 1). Width 1 is mnistTiny's architecture under
 * another name. The trained family (src/train/family.ts) uses these.
 */
import type { FloatNetwork } from '../model/index.ts';
import { conv, dense, depthwise, globalAvgPool } from './layerBuilders.ts';

/** mnistTiny's channels: stem, b1_pw, b2_pw, b3_pw. */
const BASE_CHANNELS = [8, 16, 32, 32] as const;

/** The name of the family member at `width`: mnist_sep_w0p5, mnist_sep_w1, mnist_sep_w2, ... */
export function mnistSeparableName(width: number): string {
  return `mnist_sep_w${String(width).replace('.', 'p')}`;
}

export function mnistSeparable(width: number): FloatNetwork {
  if (!Number.isFinite(width) || width <= 0 || width > 16) throw new RangeError(`mnistSeparable: width multiplier ${width} is not in (0, 16]`);
  const [c0, c1, c2, c3] = BASE_CHANNELS.map((c) => Math.max(1, Math.round(c * width))) as [number, number, number, number];
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: mnistSeparableName(width),
    input: { height: 28, width: 28, channels: 1 },
    layers: [
      conv('stem', 3, c0, { stride: 2 }), // 14x14
      depthwise('b1_dw', 3),
      conv('b1_pw', 1, c1),
      depthwise('b2_dw', 3, { stride: 2 }), // 7x7
      conv('b2_pw', 1, c2),
      depthwise('b3_dw', 3),
      conv('b3_pw', 1, c3),
      globalAvgPool('pool'),
      dense('fc', 10),
    ],
  };
}
