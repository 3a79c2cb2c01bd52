/**
 * The width rules: for every integer operator, the shape of its result and
 * its exact value. This table is the single source of truth shared by the
 * DSL (hdl-gen/), which emits Verilog for these operators, and the reference
 * model (src/), which computes with them. docs/semantics.md states the same
 * rules in prose; test/arith checks every row exhaustively on small widths.
 *
 * Principle (after Amaranth's Operator.shape): arithmetic never overflows.
 * Results grow to hold every possible value; narrowing happens only through
 * an explicit resize (wrap), saturate or rounding shift.
 */
import { type Shape, shape, wrap, toBits, ShapeError, shapeName } from './shape.ts';
import type { RoundingMode } from './rounding.ts';

/**
 * The common shape both operands of a binary operator are extended to.
 * Same signedness: the wider one. Mixed: signed, wide enough for the
 * unsigned operand plus a sign bit.
 */
export function unify(a: Shape, b: Shape): Shape {
  if (a.signed === b.signed) return shape(Math.max(a.width, b.width), a.signed);
  const s = a.signed ? a : b;
  const u = a.signed ? b : a;
  return shape(Math.max(s.width, u.width + 1), true);
}

export const BINARY_OPS = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'shl', 'shr'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const UNARY_OPS = ['neg', 'not'] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

interface BinaryRule {
  /** One line for docs and error messages. */
  readonly rule: string;
  shape(a: Shape, b: Shape): Shape;
  /** Exact value, for operands already known to fit their shapes. */
  evaluate(x: bigint, y: bigint, a: Shape, b: Shape): bigint;
}

const compare = (f: (x: bigint, y: bigint) => boolean): BinaryRule => ({
  rule: 'compare: operands extended to unify(a, b), result u1',
  shape: () => shape(1, false),
  evaluate: (x, y) => (f(x, y) ? 1n : 0n),
});

const bitwise = (f: (x: bigint, y: bigint) => bigint): BinaryRule => ({
  rule: 'bitwise: operands extended to unify(a, b), result unify(a, b)',
  shape: (a, b) => unify(a, b),
  // BigInt bitwise operators act on infinite two's complement, which is what
  // sign/zero extension to the unified width and a Verilog bitwise op give.
  evaluate: (x, y, a, b) => wrap(f(x, y), unify(a, b)),
});

function checkShiftAmount(b: Shape, op: string): void {
  if (b.signed) {
    throw new ShapeError(`${op}: shift amount is ${shapeName(b)}: a variable shift amount must be unsigned`);
  }
}

export const BINARY_RULES: Readonly<Record<BinaryOp, BinaryRule>> = Object.freeze({
  add: {
    rule: 'add: unify(a, b) grown by 1 bit',
    shape: (a, b) => {
      const u = unify(a, b);
      return shape(u.width + 1, u.signed);
    },
    evaluate: (x, y) => x + y,
  },
  sub: {
    rule: 'sub: signed, unify(a, b) grown by 1 bit (unsigned minus unsigned can be negative)',
    shape: (a, b) => shape(unify(a, b).width + 1, true),
    evaluate: (x, y) => x - y,
  },
  mul: {
    rule: 'mul: width a + width b, signed if either operand is',
    shape: (a, b) => shape(a.width + b.width, a.signed || b.signed),
    evaluate: (x, y) => x * y,
  },
  and: bitwise((x, y) => x & y),
  or: bitwise((x, y) => x | y),
  xor: bitwise((x, y) => x ^ y),
  eq: compare((x, y) => x === y),
  ne: compare((x, y) => x !== y),
  lt: compare((x, y) => x < y),
  le: compare((x, y) => x <= y),
  gt: compare((x, y) => x > y),
  ge: compare((x, y) => x >= y),
  shl: {
    rule: 'shl (variable): amount unsigned; width a + 2^(width b) - 1, signedness of a',
    shape: (a, b) => {
      checkShiftAmount(b, 'shl');
      if (b.width > 8) throw new ShapeError(`shl: shift amount is ${shapeName(b)}: a variable left shift amount may have at most 8 bits`);
      return shape(a.width + (1 << b.width) - 1, a.signed);
    },
    evaluate: (x, y) => x << y,
  },
  shr: {
    rule: 'shr (variable): amount unsigned; shape of a; arithmetic (floor) for signed a',
    shape: (a, b) => {
      checkShiftAmount(b, 'shr');
      return a;
    },
    evaluate: (x, y) => x >> y,
  },
});

export const UNARY_RULES: Readonly<Record<UnaryOp, { rule: string; shape(a: Shape): Shape; evaluate(x: bigint, a: Shape): bigint }>> =
  Object.freeze({
    neg: {
      rule: 'neg: signed, width a + 1',
      shape: (a: Shape) => shape(a.width + 1, true),
      evaluate: (x: bigint) => -x,
    },
    not: {
      rule: 'not: shape of a (bitwise complement in that width)',
      shape: (a: Shape) => a,
      evaluate: (x: bigint, a: Shape) => wrap(~x, a),
    },
  });

/** Constant left shift by k: width grows by k. */
export function shlConstShape(a: Shape, k: number): Shape {
  return shape(a.width + k, a.signed);
}

/** Constant right shift by k (floor): width shrinks by k, at least 1. */
export function shrConstShape(a: Shape, k: number): Shape {
  return shape(Math.max(1, a.width - k), a.signed);
}

/** Bits [hi:lo] of the two's-complement pattern, unsigned. */
export function sliceShape(a: Shape, hi: number, lo: number): Shape {
  if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= a.width) {
    throw new ShapeError(`slice: [${hi}:${lo}] of ${shapeName(a)} is invalid: need 0 <= lo <= hi < ${a.width}`);
  }
  return shape(hi - lo + 1, false);
}

export function sliceValue(x: bigint, a: Shape, hi: number, lo: number): bigint {
  return BigInt.asUintN(hi - lo + 1, toBits(x, a) >> BigInt(lo));
}

/** Concatenation, first part most significant (as in Verilog {a, b}). */
export function concatShape(parts: readonly Shape[]): Shape {
  if (parts.length === 0) throw new ShapeError('concat: needs at least one part');
  return shape(parts.reduce((w, p) => w + p.width, 0), false);
}

export function concatValue(values: readonly bigint[], parts: readonly Shape[]): bigint {
  let acc = 0n;
  values.forEach((v, i) => {
    const s = parts[i]!;
    acc = (acc << BigInt(s.width)) | toBits(v, s);
  });
  return acc;
}

/** Shape of a rounding right shift by constant k (see rounding.ts): rounding
 *  up can carry one bit above floor's width. */
export function roundShiftShape(a: Shape, k: number, mode: RoundingMode): Shape {
  if (k === 0) return a;
  if (mode === 'rdn') return shape(Math.max(1, a.width - k), a.signed);
  // rod sets the LSB, which turns a floor of 0 into +1: a signed result then
  // needs 2 bits even when the floor fits in 1.
  if (mode === 'rod') return shape(Math.max(a.signed ? 2 : 1, a.width - k), a.signed);
  return shape(Math.max(1, a.width - k + 1), a.signed);
}

