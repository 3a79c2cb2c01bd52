/**
 * MobileNetV1 (Howard et al. 2017, arXiv 1704.04861, Table 1) at 224x224:
 * a 3x3 stride-2 stem, 13 depthwise-separable blocks, global average pool,
 * a 1000-way classifier. The width multiplier scales every channel count;
 * ReLU after every batch norm, as in the paper. PikeLPN builds on this
 * geometry at width multipliers 1x to 2x.
 */
import type { FloatNetwork } from '../model/index.ts';
import { conv, dense, depthwise, globalAvgPool, type ActivationKind } from './layerBuilders.ts';

/** (stride of the depthwise layer, pointwise output channels at width 1). */
const BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [1, 64],
  [2, 128],
  [1, 128],
  [2, 256],
  [1, 256],
  [2, 512],
  [1, 512],
  [1, 512],
  [1, 512],
  [1, 512],
  [1, 512],
  [2, 1024],
  [1, 1024],
];

export interface MobileNetV1Options {
  readonly width: number;
  readonly resolution?: number;
  readonly classes?: number;
  readonly activation?: ActivationKind;
}

/** Channels at a width multiplier, as the reference implementations round
 *  them: int(c * width), so 0.5 gives 16, 32, ... and 1.5 gives 48, 96, ... */
function scaled(c: number, width: number): number {
  return Math.max(1, Math.floor(c * width));
}

export function mobilenetV1(opts: MobileNetV1Options): FloatNetwork {
  const { width, resolution = 224, classes = 1000, activation = 'relu' } = opts;
  if (!(width > 0)) throw new RangeError(`mobilenetV1: width ${width} is invalid: a width multiplier must be > 0`);
  const layers: FloatNetwork['layers'] = [conv('conv0', 3, scaled(32, width), { stride: 2, activation })];
  BLOCKS.forEach(([stride, out], i) => {
    layers.push(depthwise(`b${i + 1}_dw`, 3, { stride, activation }));
    layers.push(conv(`b${i + 1}_pw`, 1, scaled(out, width), { activation }));
  });
  layers.push(globalAvgPool('pool'));
  layers.push(dense('fc', classes));
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: `mobilenet_v1_${width.toFixed(width === 0.25 || width === 0.75 ? 2 : 1)}${resolution === 224 ? '' : `_${resolution}`}`,
    input: { height: resolution, width: resolution, channels: 3 },
    layers,
  };
}
