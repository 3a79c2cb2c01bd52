/**
 * Shapes as the DSL accepts them from callers, and packed buses.
 *
 * src/arith caps every arithmetic value at MAX_WIDTH (256) bits. A stream
 * port that carries many values side by side (the expression fuzzer packs
 * dozens of them into one `in_data`) is not a number, only bits: a bus may be
 * up to MAX_BUS_WIDTH bits wide, is always unsigned, and can only be packed
 * (cat), sliced, resized, muxed between equal shapes and registered.
 * Arithmetic on it still goes through src/arith, which refuses it.
 */
import { type Shape, MAX_WIDTH, unsigned } from '../../src/arith/index.ts';
import { DslError } from './dslError.ts';

/** The widest stream port the co-simulation harness accepts. */
export const MAX_BUS_WIDTH = 65_536;

/** An unsigned shape of `width` bits, allowed above MAX_WIDTH for packing. */
export function bus(width: number): Shape {
  if (!Number.isInteger(width) || width < 1 || width > MAX_BUS_WIDTH) {
    throw new DslError(`bus: width ${String(width)} is invalid: a bus width must be an integer from 1 to ${MAX_BUS_WIDTH}`);
  }
  return width <= MAX_WIDTH ? unsigned(width) : Object.freeze({ width, signed: false });
}

/** True for shapes wider than arithmetic allows (packed buses). */
export function isBusWide(s: Shape): boolean {
  return s.width > MAX_WIDTH;
}

/** Validates a shape handed in by a caller; returns a frozen copy. */
export function checkShape(s: unknown, what: string): Shape {
  const o = s as { width?: unknown; signed?: unknown } | null;
  if (o === null || typeof o !== 'object' || typeof o.signed !== 'boolean' || typeof o.width !== 'number') {
    throw new DslError(`${what}: ${JSON.stringify(s)} is not a shape: use unsigned(n), signed(n) or bus(n)`);
  }
  const w = o.width;
  const limit = o.signed ? MAX_WIDTH : MAX_BUS_WIDTH;
  if (!Number.isInteger(w) || w < 1 || w > limit) {
    throw new DslError(
      `${what}: width ${String(w)} is invalid: ${o.signed ? 'a signed' : 'an unsigned'} width must be an integer from 1 to ${limit}`,
    );
  }
  return Object.freeze({ width: w, signed: o.signed });
}
