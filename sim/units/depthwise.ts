// Depthwise engine stimulus and reference: a stream of weight sets and images;
// the expected output pixels from src/ref's depthwiseConv2dAccumulate with the
// weights loaded last. Corners: weight set 1 has extreme weights (max on even
// channels, min on odd) followed by an all-max and an all-min image, so every
// window away from the padding reaches one end of the accumulator range for
// each sign pairing; the same with the channel parities swapped; then weight
// set 2 (random) is loaded between images and
// random images follow, with weight set 3 (random, no zero weight) halfway.
import { maxOf, minOf } from '../../src/arith/index.ts';
import { depthwiseConv2dAccumulate, windowGeometry } from '../../src/ref/index.ts';
import { ConfigError } from '../../hdl-gen/generators/index.ts';
import {
  type DepthwiseConfig,
  type DepthwiseConfigInput,
  depthwise,
  depthwiseConfig,
  depthwiseGenerator,
  depthwiseGeometry,
  depthwiseInventory,
  packDepthwiseOutput,
  packDepthwisePixel,
  packDepthwiseTap,
  readsWholeImageBeforeLastOutput,
} from '../../hdl-gen/units/depthwise/index.ts';
import { asValues, seededBits } from './rng.ts';
import { defineUnitBench } from './unitBench.ts';

/** One step of the stream: load a weight set (taps x channels, tap-major) or send an image (pixels x channels, raster). */
export type DepthwiseEvent = { readonly kind: 'weights'; readonly values: bigint[] } | { readonly kind: 'image'; readonly values: bigint[] };

/** Corner weight set and images (when asked), a random weight set, then `randomImages` random images. */
export function depthwiseEvents(c: DepthwiseConfig, seed: number, randomImages: number, corners = true): DepthwiseEvent[] {
  const g = depthwiseGeometry(c);
  const pixels = c.height * c.width;
  const events: DepthwiseEvent[] = [];
  if (corners) {
    const extreme = Array.from({ length: g.taps * c.channels }, (_, i) => ((i % c.channels) % 2 === 0 ? maxOf(g.weight) : minOf(g.weight)));
    events.push({ kind: 'weights', values: extreme });
    events.push({ kind: 'image', values: new Array<bigint>(pixels * c.channels).fill(maxOf(g.activation)) });
    events.push({ kind: 'image', values: new Array<bigint>(pixels * c.channels).fill(minOf(g.activation)) });
    // The same extremes with the channel parities swapped: with unsigned
    // activations (minimum 0) only max x max and min x max reach an end of the
    // range, and each channel needs both (mutation testing found even
    // channels whose sum's top bit, needed only below -2^(w-2), was never set).
    const swapped = Array.from({ length: g.taps * c.channels }, (_, i) => ((i % c.channels) % 2 === 0 ? minOf(g.weight) : maxOf(g.weight)));
    events.push({ kind: 'weights', values: swapped });
    events.push({ kind: 'image', values: new Array<bigint>(pixels * c.channels).fill(maxOf(g.activation)) });
    events.push({ kind: 'image', values: new Array<bigint>(pixels * c.channels).fill(minOf(g.activation)) });
  }
  events.push({ kind: 'weights', values: asValues(seededBits(seed, g.taps * c.channels, c.weightBits), c.weightBits, c.weightSigned) });
  // With the corners (the property stimulus; timing tests ask for none), halfway
  // a second random set with no zero weight: a tap whose only random
  // weight is 0 hides its window slice from every random image (mutation
  // testing found slice-shift mutants that survived that way).
  const nonZero = maxOf(g.weight) !== 0n ? maxOf(g.weight) : minOf(g.weight);
  const second = asValues(seededBits(seed * 977 + 1, g.taps * c.channels, c.weightBits), c.weightBits, c.weightSigned).map((v) => (v === 0n ? nonZero : v));
  for (let i = 0; i < randomImages; i++) {
    if (corners && randomImages >= 2 && i === Math.ceil(randomImages / 2)) events.push({ kind: 'weights', values: second });
    const bits = seededBits(seed * 131 + i, pixels * c.channels, c.activationBits);
    events.push({ kind: 'image', values: asValues(bits, c.activationBits, c.activationSigned) });
  }
  return events;
}

function inputsOf(c: DepthwiseConfig, events: readonly DepthwiseEvent[]): bigint[] {
  const g = depthwiseGeometry(c);
  const per = (e: DepthwiseEvent): bigint[] => {
    const n = e.kind === 'weights' ? g.taps : c.height * c.width;
    const pack = e.kind === 'weights' ? packDepthwiseTap : packDepthwisePixel;
    return Array.from({ length: n }, (_, i) => pack(c, e.values.slice(i * c.channels, (i + 1) * c.channels)));
  };
  return events.flatMap(per);
}

/** The expected output words of each image, in stream order (one array per image event). */
function expectedPerImage(c: DepthwiseConfig, events: readonly DepthwiseEvent[]): bigint[][] {
  const g = depthwiseGeometry(c);
  const geometry = windowGeometry(c.height, c.width, c.channels, c.kernel, c.stride, c.padding, c.channels);
  let w32 = new Int32Array(0);
  const out: bigint[][] = [];
  for (const e of events) {
    if (e.kind === 'weights') {
      w32 = Int32Array.from(e.values, Number);
      continue;
    }
    const acc = new Float64Array(g.outHeight * g.outWidth * c.channels);
    depthwiseConv2dAccumulate(Int32Array.from(e.values, Number), geometry, w32, acc);
    out.push(Array.from({ length: g.outHeight * g.outWidth }, (_, o) => packDepthwiseOutput(c, Array.from(acc.subarray(o * c.channels, (o + 1) * c.channels), (v) => BigInt(v)))));
  }
  return out;
}

/** The shortest prefix of whole images (with their weight loads) covering min(outputs, all) outputs. */
function prefixOf(c: DepthwiseConfig, events: readonly DepthwiseEvent[], outputs: number): { inputs: number; outputs: number } {
  const g = depthwiseGeometry(c);
  const perImage = g.outHeight * g.outWidth;
  let inputs = 0;
  let outs = 0;
  for (const e of events) {
    inputs += e.kind === 'weights' ? g.taps : c.height * c.width;
    if (e.kind === 'image') {
      outs += perImage;
      if (outs >= outputs) break;
    }
  }
  return { inputs, outputs: outs };
}

export interface DepthwiseCase {
  config: DepthwiseConfig;
  inputs: bigint[];
  expected: bigint[];
  images: number;
  weightSets: number;
  /** Inputs and outputs of the first weight set and image: the Icarus prefix. */
  firstImage: { inputs: number; outputs: number };
}

/** A whole case from a raw config: words in, expected words out, and the counts the timing rules need. */
export function depthwiseCase(raw: DepthwiseConfigInput, seed: number, randomImages: number, corners = true): DepthwiseCase {
  const config = depthwiseConfig.parse(raw);
  const events = depthwiseEvents(config, seed, randomImages, corners);
  const images = events.filter((e) => e.kind === 'image').length;
  return {
    config,
    inputs: inputsOf(config, events),
    expected: expectedPerImage(config, events).flat(),
    images,
    weightSets: events.length - images,
    firstImage: images === 0 ? { inputs: 0, outputs: 0 } : prefixOf(config, events, 1),
  };
}

export const depthwiseBench = defineUnitBench<DepthwiseConfig, DepthwiseEvent>({
  generator: depthwiseGenerator,
  counts: 'random images (after 2 corner images)',
  defaultCount: 8,
  check(c) {
    if (!readsWholeImageBeforeLastOutput(c)) {
      throw new ConfigError(
        `unit depthwise: config fields padding = ${c.padding}, stride = ${c.stride} are invalid for co-simulation: ` +
          `with width ${c.width}, height ${c.height} the engine reads an image's unused trailing pixels only when the stream goes on, ` +
          `so a stream cannot end with such an image (use padding or a stride that divides the image)`,
      );
    }
  },
  module: depthwise,
  stimulus: (c, count, seed) => depthwiseEvents(c, seed, count),
  inputs: inputsOf,
  expected: (c, events) => expectedPerImage(c, events).flat(),
  icarusPrefix: prefixOf,
  inventory: depthwiseInventory,
  tallyOn: 'out',
});
