/**
 * Seeded random data for unit stimulus: a fast 32-bit generator for bulk
 * lane data, the corner values of a shape, and a 64-bit generator of raw
 * bit patterns. Everything is a pure function of its seed, so a failure
 * replays from the seed it prints.
 */
import { type Shape, maxOf, minOf } from '../../src/arith/index.ts';

/** splitmix32-style generator: deterministic, fast enough for thousands of bigints. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  u32(): number {
    this.#s = (this.#s + 0x9e3779b9) >>> 0;
    let z = this.#s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  /** Uniform bigint in [lo, hi]. */
  big(lo: bigint, hi: bigint): bigint {
    const span = hi - lo + 1n;
    const bits = span.toString(2).length + 8;
    let v = 0n;
    for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(this.u32());
    return lo + (v % span);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
}

/** The corner values of a shape: both ends, zero, +-1, one in from each end. */
export function cornersOf(s: Shape): bigint[] {
  const lo = minOf(s);
  const hi = maxOf(s);
  const c = [lo, hi, 0n, 1n, -1n, lo + 1n, hi - 1n];
  return [...new Set(c.filter((v) => v >= lo && v <= hi))];
}

/** A value of `s`: a corner with probability 1/4, else uniform. */
export function drawValue(rng: Rng, s: Shape): bigint {
  return rng.below(4) === 0 ? rng.pick(cornersOf(s)) : rng.big(minOf(s), maxOf(s));
}

/**
 * `count` raw bit patterns of `widthBits` bits from a splitmix64-style
 * generator (test/sim/helpers.ts re-exports it as seededValues).
 */
export function seededBits(seed: number, count: number, widthBits: number): bigint[] {
  let s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  const next = (): bigint => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let b = 0; b < widthBits; b += 64) v |= next() << BigInt(b);
    out.push(BigInt.asUintN(widthBits, v));
  }
  return out;
}

/** Raw bit patterns read as values of a `width`-bit format. */
export function asValues(bits: readonly bigint[], width: number, signed: boolean): bigint[] {
  return bits.map((b) => (signed ? BigInt.asIntN(width, b) : b));
}
