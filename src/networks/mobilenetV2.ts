/**
 * MobileNetV2 (Sandler et al. 2018, arXiv 1801.04381, Table 2) at 224x224,
 * width 1.0: inverted residual bottlenecks (1x1 expansion with ReLU6, 3x3
 * depthwise with ReLU6, linear 1x1 projection), a residual add where the
 * stride is 1 and the channels agree, a 1x1 conv to 1280, global pool and
 * classifier.
 */
import type { FloatNetwork } from '../model/index.ts';
import { add, conv, dense, depthwise, globalAvgPool } from './layerBuilders.ts';

/** (expansion t, output channels c, repeats n, first stride s). */
const STAGES: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Channels at a width multiplier, as the reference implementation rounds them (_make_divisible by 8, never 10% below). */
function divisible(c: number, width: number): number {
  const v = c * width;
  const r = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return r < 0.9 * v ? r + 8 : r;
}

export function mobilenetV2(opts: { resolution?: number; classes?: number; width?: number } = {}): FloatNetwork {
  const { resolution = 224, classes = 1000, width = 1 } = opts;
  if (!(width > 0)) throw new RangeError(`mobilenetV2: width ${width} is invalid: a width multiplier must be > 0`);
  const first = divisible(32, width);
  const layers: FloatNetwork['layers'] = [conv('conv0', 3, first, { stride: 2, activation: 'relu6' })];
  let channels = first;
  let last = 'conv0';
  let block = 0;
  for (const [t, c0, n, s] of STAGES) {
    const c = divisible(c0, width);
    for (let r = 0; r < n; r++) {
      block += 1;
      const stride = r === 0 ? s : 1;
      const p = `b${block}`;
      if (t !== 1) layers.push(conv(`${p}_expand`, 1, channels * t, { activation: 'relu6' }));
      layers.push(depthwise(`${p}_dw`, 3, { stride, activation: 'relu6' }));
      layers.push(conv(`${p}_project`, 1, c, { activation: 'none' }));
      if (stride === 1 && channels === c) {
        layers.push(add(`${p}_add`, `${p}_project`, last));
        last = `${p}_add`;
      } else {
        last = `${p}_project`;
      }
      channels = c;
    }
  }
  // The reference keeps 1280 below width 1 and scales it above.
  layers.push(conv('conv_last', 1, width > 1 ? divisible(1280, width) : 1280, { activation: 'relu6' }));
  layers.push(globalAvgPool('pool'));
  layers.push(dense('fc', classes));
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: `mobilenet_v2_${width === 1 ? '1.0' : String(width)}${resolution === 224 ? '' : `_${resolution}`}`,
    input: { height: resolution, width: resolution, channels: 3 },
    layers,
  };
}
