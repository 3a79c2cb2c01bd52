/**
 * A checked integer shape: an exact bit width and a signedness.
 *
 * This is the one place where widths are validated. Every other module (the
 * DSL in hdl-gen/, the reference model in src/) takes a Shape and trusts it.
 */

/** Widest value the DSL and the reference model accept. Wide enough for any
 *  accumulator of an 8x8-bit MAC over 2^100 terms; narrow enough that a typo
 *  (a width of 10000) is caught. */
export const MAX_WIDTH = 256;

export interface Shape {
  readonly width: number;
  readonly signed: boolean;
}

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

function checkWidth(width: number, who: string): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new ShapeError(
      `${who}: width ${String(width)} is invalid: a width must be an integer from 1 to ${MAX_WIDTH}`,
    );
  }
}

export function shape(width: number, signed: boolean): Shape {
  checkWidth(width, signed ? 'signed' : 'unsigned');
  return Object.freeze({ width, signed });
}

export function unsigned(width: number): Shape {
  return shape(width, false);
}

export function signed(width: number): Shape {
  return shape(width, true);
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.width === b.width && a.signed === b.signed;
}

/** `u8`, `s12`: the short form used in error messages and generated comments. */
export function shapeName(s: Shape): string {
  return `${s.signed ? 's' : 'u'}${s.width}`;
}

/** Smallest value a shape holds. */
export function minOf(s: Shape): bigint {
  return s.signed ? -(1n << BigInt(s.width - 1)) : 0n;
}

/** Largest value a shape holds. */
export function maxOf(s: Shape): bigint {
  return s.signed ? (1n << BigInt(s.width - 1)) - 1n : (1n << BigInt(s.width)) - 1n;
}

export function fits(v: bigint, s: Shape): boolean {
  return v >= minOf(s) && v <= maxOf(s);
}

/** Two's-complement wrap of v into s: what a Verilog assignment to a narrower
 *  vector does. Used only where the spec says "truncate"/"wrap". */
export function wrap(v: bigint, s: Shape): bigint {
  return s.signed ? BigInt.asIntN(s.width, v) : BigInt.asUintN(s.width, v);
}

/** Bit pattern of v (which must fit s) as an unsigned integer of s.width bits. */
export function toBits(v: bigint, s: Shape): bigint {
  return BigInt.asUintN(s.width, v);
}

/** Value of an s.width-bit pattern read as shape s. */
export function fromBits(bits: bigint, s: Shape): bigint {
  return s.signed ? BigInt.asIntN(s.width, bits) : BigInt.asUintN(s.width, bits);
}
