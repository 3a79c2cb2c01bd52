/**
 * Exact rationals on BigInt, used where quantization errors are compared to
 * choose a shift: comparing float-computed errors would let rounding noise
 * decide, and then "error never grows with bits" could fail by 1e-16.
 * Every finite double is a rational with a power-of-two denominator, so
 * fromNumber is exact.
 */
export interface Rational {
  readonly n: bigint;
  /** Always > 0. */
  readonly d: bigint;
}

const view = new DataView(new ArrayBuffer(8));

export function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`exactRational: ${x} is not finite`);
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return { n: BigInt(x), d: 1n };
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075; // x = mant * 2^e
  return e >= 0 ? { n: sign * (mant << BigInt(e)), d: 1n } : normalise(sign * mant, 1n << BigInt(-e));
}

export function fromInt(x: number | bigint): Rational {
  return { n: BigInt(x), d: 1n };
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function normalise(n: bigint, d: bigint): Rational {
  if (d < 0n) [n, d] = [-n, -d];
  // Dyadic fast path: every double is n / 2^k, and sums, products and
  // differences of such stay dyadic, so d is nearly always a power of two. Then
  // gcd(n, d) is the smaller of d and n's lowest set bit (n & -n); both are
  // powers of two, so the division is exact, and the result is the same reduced
  // fraction Euclid's algorithm gives, without its quadratic cost on long numbers.
  if ((d & (d - 1n)) === 0n) {
    if (n === 0n) return { n, d: 1n };
    const low = n & -n;
    const g = low < d ? low : d;
    return g > 1n ? { n: n / g, d: d / g } : { n, d };
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const add = (a: Rational, b: Rational): Rational => normalise(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => normalise(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => normalise(a.n * b.n, a.d * b.d);
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('exactRational: division by zero');
  return normalise(a.n * b.d, a.d * b.n);
}
export const abs = (a: Rational): Rational => (a.n < 0n ? { n: -a.n, d: a.d } : a);
/** -1, 0 or 1. */
export function cmp(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}
export const maxOf = (a: Rational, b: Rational): Rational => (cmp(a, b) >= 0 ? a : b);
/** M * 2^-s exactly. */
export function dyadic(m: number | bigint, s: number): Rational {
  return s >= 0 ? normalise(BigInt(m), 1n << BigInt(s)) : { n: BigInt(m) << BigInt(-s), d: 1n };
}
export function toNumber(a: Rational): number {
  if (a.n === 0n) return 0;
  // Quotient with at least 64 significant bits (exact for dyadics: d is a power of two),
  // then one rounding to a double and an exact power-of-two scaling.
  const bitLen = (v: bigint): number => (v < 0n ? -v : v).toString(2).length;
  const k = 64 - (bitLen(a.n) - bitLen(a.d));
  const q = k >= 0 ? (a.n << BigInt(k)) / a.d : a.n / (a.d << BigInt(-k));
  const x = Number(q);
  const e = -k;
  if (e < -1000) return x * 2 ** (e + 1000) * 2 ** -1000; // the subnormal rounding, if any, happens once, last
  if (e > 1000) return x * 2 ** 1000 * 2 ** (e - 1000);
  return x * 2 ** e;
}
export const ZERO: Rational = { n: 0n, d: 1n };
