// Stimulus for the fuzzers: the corners of every leaf (min, max, 0, 1, -1,
// min+1, max-1), all leaves at the same corner, powers of two (rounding
// ties), and uniform random bits, from a seeded generator so a seed replays.
import { type Shape, fromBits, maxOf, minOf, toBits } from '../../../src/arith/index.ts';

/** mulberry32: small, fast, seedable; quality is ample for stimulus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomBits(rand: () => number, width: number): bigint {
  let v = 0n;
  for (let got = 0; got < width; got += 32) v = (v << 32n) | BigInt(Math.floor(rand() * 2 ** 32));
  return BigInt.asUintN(width, v);
}

export function corners(s: Shape): bigint[] {
  const c = [minOf(s), maxOf(s), 0n, 1n, -1n, minOf(s) + 1n, maxOf(s) - 1n];
  return [...new Set(c.filter((v) => v >= minOf(s) && v <= maxOf(s)))];
}

function clampTo(v: bigint, s: Shape): bigint {
  return v < minOf(s) ? minOf(s) : v > maxOf(s) ? maxOf(s) : v;
}

/** `count` transactions, each one value per leaf. */
export function leafValues(shapes: readonly Shape[], count: number, seed: number): bigint[][] {
  const rand = prng(seed);
  const out: bigint[][] = [];
  // Every leaf at the same kind of corner: all-min, all-max, all-zero, ...
  for (let k = 0; k < 7 && out.length < count; k++) {
    out.push(shapes.map((s) => clampTo([minOf(s), maxOf(s), 0n, 1n, -1n, minOf(s) + 1n, maxOf(s) - 1n][k]!, s)));
  }
  while (out.length < count) {
    out.push(
      shapes.map((s) => {
        const r = rand();
        if (r < 0.35) {
          const c = corners(s);
          return c[Math.floor(rand() * c.length)]!;
        }
        if (r < 0.5) {
          // +-2^j (+-1): exact halves and their neighbours for the rounding modes.
          const j = Math.floor(rand() * s.width);
          const v = (1n << BigInt(j)) * (rand() < 0.5 ? -1n : 1n) + BigInt(Math.floor(rand() * 3) - 1);
          return clampTo(v, s);
        }
        return fromBits(randomBits(rand, s.width), s);
      }),
    );
  }
  return out;
}

/** Packs one transaction's leaf values, leaf 0 in the low bits. */
export function packLeaves(values: readonly bigint[], shapes: readonly Shape[], offsets: readonly number[]): bigint {
  let v = 0n;
  values.forEach((x, i) => {
    v |= toBits(x, shapes[i]!) << BigInt(offsets[i]!);
  });
  return v;
}
