// A depthwise test case: a stream of weight sets and images, the expected
// output pixels from src/ref's depthwiseConv2dAccumulate, and the packed words.
//
// With corners: weight set 1 has extreme weights (max on even channels, min on
// odd) followed by an all-max and an all-min image, so every window away from
// the padding reaches one end of the accumulator range for each sign pairing;
// then weight set 2 (random) is loaded between images and random images follow.
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
  weightSets: number;
  /** Inputs and outputs of the first weight set and image: the Icarus prefix. */
  firstImage: { inputs: number; outputs: number };
}

const asValues = (bits: bigint[], width: number, signed: boolean): bigint[] =>
  bits.map((b) => (signed ? BigInt.asIntN(width, b) : b));

export function depthwiseCase(raw: DepthwiseConfigInput, seed: number, randomImages: number, corners = true): DepthwiseCase {
  const c = depthwiseConfig.parse(raw);
  const g = depthwiseGeometry(c);
  const pixels = c.height * c.width;
  const geometry = windowGeometry(c.height, c.width, c.channels, c.kernel, c.stride, c.padding, c.channels);
  const inputs: bigint[] = [];
  const expected: bigint[] = [];
  let images = 0;
  let weightSets = 0;
  let firstImage = { inputs: 0, outputs: 0 };
  let w32 = new Int32Array(0);

  const loadWeights = (weights: bigint[]): void => {
    for (let t = 0; t < g.taps; t++) inputs.push(packDepthwiseTap(c, weights.slice(t * c.channels, (t + 1) * c.channels)));
    w32 = Int32Array.from(weights, Number);
    weightSets++;
  };
  const image = (x: bigint[]): void => {
    for (let p = 0; p < pixels; p++) inputs.push(packDepthwisePixel(c, x.slice(p * c.channels, (p + 1) * c.channels)));
    const acc = new Float64Array(g.outHeight * g.outWidth * c.channels);
    depthwiseConv2dAccumulate(Int32Array.from(x, Number), geometry, w32, acc);
    for (let o = 0; o < g.outHeight * g.outWidth; o++) {
      expected.push(packDepthwiseOutput(c, Array.from(acc.subarray(o * c.channels, (o + 1) * c.channels), (v) => BigInt(v))));
    }
    if (images++ === 0) firstImage = { inputs: inputs.length, outputs: expected.length };
  };

  if (corners) {
    loadWeights(Array.from({ length: g.taps * c.channels }, (_, i) => ((i % c.channels) % 2 === 0 ? maxOf(g.weight) : minOf(g.weight))));
    image(new Array<bigint>(pixels * c.channels).fill(maxOf(g.activation)));
    image(new Array<bigint>(pixels * c.channels).fill(minOf(g.activation)));
  }
  loadWeights(asValues(seededValues(seed, g.taps * c.channels, c.weightBits), c.weightBits, c.weightSigned));
  for (let i = 0; i < randomImages; i++) {
    image(asValues(seededValues(seed * 131 + i, pixels * c.channels, c.activationBits), c.activationBits, c.activationSigned));
  }
  return { config: c, inputs, expected, images, weightSets, firstImage };
}
