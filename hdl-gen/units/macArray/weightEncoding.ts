/**
 * How a MAC array weight is encoded in its bits, and the value it stands for.
 *
 *   int:     a weightBits-bit two's-complement (signed) or plain binary
 *            (unsigned) integer.
 *   binary:  1 bit, the sign: 0 means +1, 1 means -1. The bit is the sign bit
 *            of the value, as in two's complement, so no multiplier is needed:
 *            the product is x or -x.
 *   ternary: 2 bits, read as sign and magnitude: bit 0 says "nonzero", bit 1
 *            says "negative". 00 = 0, 01 = +1, 11 = -1 agree with two's
 *            complement; the fourth code 10 ("negative zero") is 0, not -2,
 *            so every bit pattern has a defined value and the product is x,
 *            -x or 0.
 */
import { type Range, type Shape, range, rangeOf, shape } from '../../../src/arith/index.ts';

export const WEIGHT_KINDS = ['int', 'binary', 'ternary'] as const;
export type WeightKind = (typeof WEIGHT_KINDS)[number];

export interface WeightFormat {
  readonly kind: WeightKind;
  /** Bits per weight in in_data. */
  readonly bits: number;
  /** int only: two's complement or unsigned. Binary and ternary values are signed. */
  readonly signed: boolean;
}

/** The values the weight can take: what the accumulator width is derived from. */
export function weightRange(f: WeightFormat): Range {
  if (f.kind === 'int') return rangeOf(intShape(f));
  return range(-1n, 1n);
}

function intShape(f: WeightFormat): Shape {
  return shape(f.bits, f.signed);
}

/** The value a bit pattern stands for (bits taken mod 2^f.bits). */
export function decodeWeight(f: WeightFormat, bits: bigint): bigint {
  const b = BigInt.asUintN(f.bits, bits);
  switch (f.kind) {
    case 'int':
      return f.signed ? BigInt.asIntN(f.bits, b) : b;
    case 'binary':
      return b === 0n ? 1n : -1n;
    case 'ternary':
      return (b & 1n) === 0n ? 0n : (b & 2n) === 0n ? 1n : -1n;
  }
}

/** The canonical bit pattern of a value; throws a RangeError naming the value and the format's range. */
export function encodeWeight(f: WeightFormat, value: bigint): bigint {
  const r = weightRange(f);
  if (value < r.lo || value > r.hi || (f.kind === 'binary' && value === 0n)) {
    const allowed = f.kind === 'binary' ? '-1 or +1' : `${r.lo}..${r.hi}`;
    throw new RangeError(`encodeWeight: ${f.kind} weight ${value} is out of range: must be ${allowed}`);
  }
  switch (f.kind) {
    case 'int':
      return BigInt.asUintN(f.bits, value);
    case 'binary':
      return value < 0n ? 1n : 0n;
    case 'ternary':
      return value === 0n ? 0n : value > 0n ? 1n : 3n;
  }
}
