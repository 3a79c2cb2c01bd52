// Max pooling stimulus and reference. Images (pixels in raster order, each a
// list of channels): all max, all min, zero, alternating max/min, then random
// images, every other one rewritten so that each window's maximum sits at a
// drawn position with a near-tie (max - 1, or an equal value) elsewhere in
// the window: the comparisons a wrong comparator, a swapped mux or a lost row
// would get wrong. The expectation: src/ref's maxPoolInto (no padding), or
// the maximum over the whole image for 'global', per image.
import { maxOf, minOf } from '../../src/arith/index.ts';
import { maxPoolInto, windowGeometry } from '../../src/ref/index.ts';
import {
  type MaxPoolConfig,
  deriveMaxPool,
  generateMaxPool,
  maxPoolGenerator,
  maxPoolInventory,
  packMaxPoolOutput,
  packMaxPoolPixel,
} from '../../hdl-gen/units/maxPool/index.ts';
import type { Image } from './avgPool.ts';
import { Rng, drawValue } from './rng.ts';
import { defineUnitBench } from './unitBench.ts';
import { poolIcarusPrefix, windowPixels } from './poolWindows.ts';

/** Lane outputs of src/ref's max pool, output pixel by output pixel over all images. */
export function maxPoolReference(c: MaxPoolConfig, images: readonly Image[]): bigint[][] {
  const d = deriveMaxPool(c);
  const C = c.channels;
  return images.flatMap((img) => {
    const x = Float64Array.from(img.flat(), Number);
    const out = new Float64Array(d.outWidth * d.outHeight * C);
    if (c.kernel === 'global') {
      out.fill(-Infinity);
      for (let p = 0; p < c.width * c.height; p++) for (let ch = 0; ch < C; ch++) out[ch] = Math.max(out[ch]!, x[p * C + ch]!);
    } else maxPoolInto(x, windowGeometry(c.height, c.width, C, c.kernel, c.kernel, 0, C), out);
    return Array.from({ length: d.outWidth * d.outHeight }, (_, p) => Array.from({ length: C }, (_, ch) => BigInt(out[p * C + ch]!)));
  });
}

/** The four corner images, then random images until at least `pixels` pixels. */
export function maxPoolImages(c: MaxPoolConfig, rng: Rng, pixels: number): Image[] {
  const d = deriveMaxPool(c);
  const P = c.width * c.height;
  const lo = minOf(d.value);
  const hi = maxOf(d.value);
  const fill = (f: (p: number, ch: number) => bigint): Image => Array.from({ length: P }, (_, p) => Array.from({ length: c.channels }, (_, ch) => f(p, ch)));
  const out: Image[] = [fill(() => hi), fill(() => lo), fill(() => 0n), fill((p, ch) => ((p + ch) % 2 === 0 ? hi : lo))];
  for (let i = 0; out.length * P < pixels; i++) {
    const img = fill(() => drawValue(rng, d.value));
    if (i % 2 === 0 && d.count > 1) {
      for (let w = 0; w < d.outWidth * d.outHeight; w++) {
        const px = windowPixels(d, w);
        for (let ch = 0; ch < c.channels; ch++) {
          // The winner at a drawn position, a runner-up one below it (or equal) at another, the rest lower.
          const top = rng.big(lo + 1n, hi);
          const at = rng.below(px.length);
          const second = (at + 1 + rng.below(px.length - 1)) % px.length;
          px.forEach((p, k) => {
            img[p]![ch] = k === at ? top : k === second ? top - BigInt(rng.below(2)) : rng.big(lo, top - 1n);
          });
        }
      }
    }
    out.push(img);
  }
  return out;
}

export const maxPoolBench = defineUnitBench<MaxPoolConfig, Image>({
  generator: maxPoolGenerator,
  counts: 'pixels (whole images, at least 4)',
  defaultCount: 3000,
  module: generateMaxPool,
  stimulus: (c, pixels, seed) => maxPoolImages(c, new Rng(seed), pixels),
  inputs: (c, imgs) => imgs.flatMap((img) => img.map((px) => packMaxPoolPixel(c, px))),
  expected: (c, imgs) => maxPoolReference(c, imgs).map((o) => packMaxPoolOutput(c, o)),
  icarusPrefix: (c, imgs, outputs) => poolIcarusPrefix(deriveMaxPool(c), imgs.length, outputs),
  inventory: maxPoolInventory,
  tallyOn: 'out',
});
