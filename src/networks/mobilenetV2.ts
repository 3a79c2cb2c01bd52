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

export function mobilenetV2(opts: { resolution?: number; classes?: number } = {}): FloatNetwork {
  const { resolution = 224, classes = 1000 } = opts;
  const layers: FloatNetwork['layers'] = [conv('conv0', 3, 32, { stride: 2, activation: 'relu6' })];
  let channels = 32;
  let last = 'conv0';
  let block = 0;
  for (const [t, c, n, s] of STAGES) {
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
  layers.push(conv('conv_last', 1, 1280, { activation: 'relu6' }));
  layers.push(globalAvgPool('pool'));
  layers.push(dense('fc', classes));
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: `mobilenet_v2_1.0${resolution === 224 ? '' : `_${resolution}`}`,
    input: { height: resolution, width: resolution, channels: 3 },
    layers,
  };
}
