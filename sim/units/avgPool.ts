// Average pooling stimulus and reference. Images (pixels in raster order, each
// a list of channels): all max, all min, zero, alternating max/min, then
// corner-heavy random images, every other one nudged so that each window's
// sum has a chosen remainder mod N (0, N/2 and its neighbours, N-1): the exact
// quotients, the ties and the near-ties every rounding mode decides on. The
// expectation: src/ref's window sums (no padding) and averageOf, per image.
import { fits, maxOf, minOf } from '../../src/arith/index.ts';
import { averageOf, globalPoolSum, poolSum, windowGeometry } from '../../src/ref/index.ts';
import {
  type AvgPoolConfig,
  avgPoolGenerator,
  avgPoolInventory,
  deriveAvgPool,
  generateAvgPool,
  packAvgPoolOutput,
  packAvgPoolPixel,
} from '../../hdl-gen/units/avgPool/index.ts';
import { Rng, drawValue } from './rng.ts';
import { defineUnitBench } from './unitBench.ts';
import { poolIcarusPrefix, windowPixels } from './poolWindows.ts';

/** [pixel in raster order][channel] */
export type Image = bigint[][];

/** Lane outputs of src/ref's average pool, output pixel by output pixel over all images. */
export function avgPoolReference(c: AvgPoolConfig, images: readonly Image[]): bigint[][] {
  const d = deriveAvgPool(c);
  const C = c.channels;
  return images.flatMap((img) => {
    const x = Int32Array.from(img.flat(), Number);
    const sum = new Float64Array(d.outWidth * d.outHeight * C);
    if (c.kernel === 'global') globalPoolSum(x, c.width * c.height, C, sum);
    else poolSum(x, windowGeometry(c.height, c.width, C, c.kernel, c.kernel, 0, C), sum);
    const out: bigint[][] = [];
    for (let p = 0; p < d.outWidth * d.outHeight; p++) {
      out.push(
        Array.from({ length: C }, (_, ch) => {
          const v = BigInt(averageOf(sum[p * C + ch]!, d.count, c.rounding));
          if (!fits(v, d.value)) throw new Error(`avgPoolReference: average ${v} leaves the input shape: the spec says it cannot`);
          return v;
        }),
      );
    }
    return out;
  });
}

/** The four corner images, then random images until at least `pixels` pixels. */
export function avgPoolImages(c: AvgPoolConfig, rng: Rng, pixels: number): Image[] {
  const d = deriveAvgPool(c);
  const P = c.width * c.height;
  const lo = minOf(d.value);
  const hi = maxOf(d.value);
  const fill = (f: (p: number, ch: number) => bigint): Image => Array.from({ length: P }, (_, p) => Array.from({ length: c.channels }, (_, ch) => f(p, ch)));
  const out: Image[] = [fill(() => hi), fill(() => lo), fill(() => 0n), fill((p, ch) => ((p + ch) % 2 === 0 ? hi : lo))];
  const N = BigInt(d.count);
  const targets = [0n, N / 2n, N / 2n + 1n, (N - 1n) / 2n, N - 1n];
  for (let i = 0; out.length * P < pixels; i++) {
    const img = fill(() => drawValue(rng, d.value));
    if (i % 2 === 0) {
      for (let w = 0; w < d.outWidth * d.outHeight; w++) {
        const px = windowPixels(d, w);
        for (let ch = 0; ch < c.channels; ch++) {
          const s = px.reduce((a, p) => a + img[p]![ch]!, 0n);
          const up = (((rng.pick(targets) - s) % N) + N) % N; // add `up` or subtract N - up
          for (const p of px) {
            const v = img[p]![ch]!;
            if (v + up <= hi) {
              img[p]![ch] = v + up;
              break;
            }
            if (v - (N - up) >= lo) {
              img[p]![ch] = v - (N - up);
              break;
            }
          }
        }
      }
    }
    out.push(img);
  }
  return out;
}

export const avgPoolBench = defineUnitBench<AvgPoolConfig, Image>({
  generator: avgPoolGenerator,
  counts: 'pixels (whole images, at least 4)',
  defaultCount: 3000,
  module: generateAvgPool,
  stimulus: (c, pixels, seed) => avgPoolImages(c, new Rng(seed), pixels),
  inputs: (c, imgs) => imgs.flatMap((img) => img.map((px) => packAvgPoolPixel(c, px))),
  expected: (c, imgs) => avgPoolReference(c, imgs).map((o) => packAvgPoolOutput(c, o)),
  icarusPrefix: (c, imgs, outputs) => poolIcarusPrefix(deriveAvgPool(c), imgs.length, outputs),
  inventory: avgPoolInventory,
  tallyOn: 'out',
});
