// A depthwise test case: one weight set then seeded images (the first made
// of corner values), the expected output pixels from src/ref's
// depthwiseConv2dAccumulate, and the packed words.
import { maxOf, minOf } from '../../src/arith/index.ts';
import { depthwiseConv2dAccumulate, windowGeometry } from '../../src/ref/index.ts';
import { depthwiseConfig, depthwiseGeometry } from '../../hdl-gen/units/depthwise/config.ts';
import type { DepthwiseConfig, DepthwiseConfigInput } from '../../hdl-gen/units/depthwise/config.ts';
import { packDepthwiseOutput, packDepthwisePixel, packDepthwiseTap } from '../../hdl-gen/units/depthwise/transaction.ts';
import { seededValues } from '../sim/helpers.ts';

export interface DepthwiseCase {
  config: DepthwiseConfig;
  inputs: bigint[];
  expected: bigint[];
  images: number;
  /** Inputs and outputs of the weight set plus the first image: the Icarus prefix. */
  firstImage: { inputs: number; outputs: number };
}

const asShape = (bits: bigint[], width: number, signed: boolean): bigint[] =>
  bits.map((b) => (signed ? BigInt.asIntN(width, b) : b));

/**
 * Image 0 is a corner image: extreme weights (max on even channels, min on
 * odd) under activations alternating by pixel between their max and min, so
 * each sign pairing reaches the accumulator's ends; the rest are random.
 */
export function depthwiseCase(raw: DepthwiseConfigInput, seed: number, images: number): DepthwiseCase {
  const c = depthwiseConfig.parse(raw);
  const g = depthwiseGeometry(c);
  const pixels = c.height * c.width;
  let weights: bigint[];
  if (seed % 2 === 0) {
    weights = Array.from({ length: g.taps * c.channels }, (_, i) => (i % c.channels) % 2 === 0 ? maxOf(g.weight) : minOf(g.weight));
  } else {
    weights = asShape(seededValues(seed, g.taps * c.channels, c.weightBits), c.weightBits, c.weightSigned);
  }
  const inputs: bigint[] = [];
  for (let t = 0; t < g.taps; t++) inputs.push(packDepthwiseTap(c, weights.slice(t * c.channels, (t + 1) * c.channels)));
  const geometry = windowGeometry(c.height, c.width, c.channels, c.kernel, c.stride, c.padding, c.channels);
  const w32 = Int32Array.from(weights, Number);
  const expected: bigint[] = [];
  let firstImage = { inputs: 0, outputs: 0 };
  for (let i = 0; i < images; i++) {
    const x =
      i === 0
        ? Array.from({ length: pixels * c.channels }, (_, j) => (Math.floor(j / c.channels) % 2 === 0 ? maxOf(g.activation) : minOf(g.activation)))
        : asShape(seededValues(seed * 131 + i, pixels * c.channels, c.activationBits), c.activationBits, c.activationSigned);
    for (let p = 0; p < pixels; p++) inputs.push(packDepthwisePixel(c, x.slice(p * c.channels, (p + 1) * c.channels)));
    const acc = new Float64Array(g.outHeight * g.outWidth * c.channels);
    depthwiseConv2dAccumulate(Int32Array.from(x, Number), geometry, w32, acc);
    for (let o = 0; o < g.outHeight * g.outWidth; o++) {
      expected.push(packDepthwiseOutput(c, Array.from(acc.subarray(o * c.channels, (o + 1) * c.channels), (v) => BigInt(v))));
    }
    if (i === 0) firstImage = { inputs: inputs.length, outputs: expected.length };
  }
  return { config: c, inputs, expected, images, firstImage };
}
