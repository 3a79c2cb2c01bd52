/**
 * ResNet-18 (He et al. 2016, arXiv 1512.03385, Table 1) at 224x224: 7x7
 * stride-2 stem, a 3x3 stride-2 max pool, four stages of two basic blocks
 * (3x3, 3x3, residual add, ReLU; a 1x1 stride-2 projection on the shortcut
 * where the shape changes), global pool, classifier.
 * The stem's max pool is the paper's: 3x3, stride 2, padding 1 (112 -> 56).
 */
import type { FloatNetwork } from '../model/index.ts';
import { add, conv, dense, globalAvgPool, maxPool } from './layerBuilders.ts';

/** `width` scales every channel count (rounded, at least 1): reduced-size variants for tests take the same code paths. */
export function resnet18(opts: { resolution?: number; classes?: number; width?: number } = {}): FloatNetwork {
  const { resolution = 224, classes = 1000, width = 1 } = opts;
  if (!(width > 0)) throw new RangeError(`resnet18: width ${width} is invalid: a width multiplier must be > 0`);
  const w = (c: number): number => Math.max(1, Math.round(c * width));
  const layers: FloatNetwork['layers'] = [conv('conv1', 7, w(64), { stride: 2 }), maxPool('pool1', 3, 2, 1)];
  let last = 'pool1';
  let channels = w(64);
  [64, 128, 256, 512].map(w).forEach((c, stage) => {
    for (let b = 0; b < 2; b++) {
      const p = `s${stage + 1}b${b + 1}`;
      const stride = stage > 0 && b === 0 ? 2 : 1;
      layers.push(conv(`${p}_conv1`, 3, c, { stride, input: last }));
      layers.push(conv(`${p}_conv2`, 3, c, { activation: 'none' }));
      let shortcut = last;
      if (stride !== 1 || channels !== c) {
        layers.push(conv(`${p}_down`, 1, c, { stride, activation: 'none', input: last }));
        shortcut = `${p}_down`;
      }
      layers.push(add(`${p}_add`, `${p}_conv2`, shortcut, 'relu'));
      last = `${p}_add`;
      channels = c;
    }
  });
  layers.push(globalAvgPool('pool'));
  layers.push(dense('fc', classes));
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: `resnet18${width === 1 ? '' : `_${width}`}${resolution === 224 ? '' : `_${resolution}`}`,
    input: { height: resolution, width: resolution, channels: 3 },
    layers,
  };
}
