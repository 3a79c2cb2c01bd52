/**
 * The tiny MNIST network this project trains and builds in hardware: a
 * separable CNN of 2,560 weights (stem 1->8, separable blocks to 16, 32, 32,
 * global pool, 10-way classifier), the one docs/TOOLING-NOTES measured.
 */
import type { FloatNetwork } from '../model/index.ts';
import { conv, dense, depthwise, globalAvgPool } from './layerBuilders.ts';

export function mnistTiny(): FloatNetwork {
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: 'mnist_tiny',
    input: { height: 28, width: 28, channels: 1 },
    layers: [
      conv('stem', 3, 8, { stride: 2 }), // 14x14x8
      depthwise('b1_dw', 3),
      conv('b1_pw', 1, 16),
      depthwise('b2_dw', 3, { stride: 2 }), // 7x7
      conv('b2_pw', 1, 32),
      depthwise('b3_dw', 3),
      conv('b3_pw', 1, 32),
      globalAvgPool('pool'),
      dense('fc', 10),
    ],
  };
}
