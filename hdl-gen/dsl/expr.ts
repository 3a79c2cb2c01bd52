/**
 * Expression trees. Every node carries the exact Shape src/arith's width rules
 * give it; nothing here has a width table of its own. Nodes are immutable, so
 * a subexpression can be shared (the emitter emits it once).
 *
 * Arithmetic never overflows (results grow); narrowing is always explicit:
 * resize/truncate (wrap), saturate/clamp, roundShift.
 */
import {
  type BinaryOp,
  type RoundingMode,
  type Shape,
  type UnaryOp,
  BINARY_RULES,
  ROUNDING_MODES,
  ShapeError,
  UNARY_RULES,
  concatShape,
  fits,
  isRoundingMode,
  maxOf,
  minOf,
  range,
  roundShiftShape,
  shape,
  shapeEquals,
  shapeName,
  shapeOfRange,
  shlConstShape,
  shrConstShape,
  sliceShape,
  unify,
  MAX_WIDTH,
} from '../../src/arith/index.ts';
import { bus, checkShape, isBusWide, MAX_BUS_WIDTH } from './busShape.ts';
import { DslError } from './dslError.ts';

export type SignalKind = 'input' | 'output' | 'wire' | 'reg' | 'instanceOutput' | 'memoryRead';

/** What an expression needs to know about the module owning a signal. */
export interface SignalOwner {
  readonly name: string;
}

export interface SignalInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly kind: SignalKind;
  readonly owner: SignalOwner;
}

export type ExprNode =
  | { readonly kind: 'const'; readonly value: bigint }
  | { readonly kind: 'ref'; readonly signal: SignalInfo }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly a: Expr }
  | { readonly kind: 'shlConst' | 'shrConst'; readonly a: Expr; readonly k: number }
  | { readonly kind: 'slice'; readonly a: Expr; readonly hi: number; readonly lo: number }
  | { readonly kind: 'concat'; readonly parts: readonly Expr[] }
  /** whenTrue when sel is 1. */
  | { readonly kind: 'mux'; readonly sel: Expr; readonly whenTrue: Expr; readonly whenFalse: Expr }
  /** Two's-complement wrap (or sign/zero extension) to the node's shape. */
  | { readonly kind: 'resize'; readonly a: Expr }
  /** Clamp to [lo, hi]; the node's shape is the smallest holding that range. */
  | { readonly kind: 'clamp'; readonly a: Expr; readonly lo: bigint; readonly hi: bigint }
  | { readonly kind: 'roundShift'; readonly a: Expr; readonly k: number; readonly mode: RoundingMode };

/** A number where an expression is expected becomes a constant of the smallest shape holding it. */
export type Operand = Expr | bigint | number;

/** Largest constant shift accepted (a shift past the width is legal, just constant). */
export const MAX_CONST_SHIFT = MAX_BUS_WIDTH;

export function children(node: ExprNode): readonly Expr[] {
  switch (node.kind) {
    case 'const':
    case 'ref':
      return [];
    case 'binary':
      return [node.a, node.b];
    case 'concat':
      return node.parts;
    case 'mux':
      return [node.sel, node.whenTrue, node.whenFalse];
    default:
      return [node.a];
  }
}

export class Expr {
  readonly shape: Shape;
  readonly node: ExprNode;
  /** The module of the first signal this expression reads (for messages). */
  readonly owner: SignalOwner | undefined;
  /** No signal is read: the value is known when the design is generated. */
  readonly isConstant: boolean;

  /** Internal: use the builders (constant, mux, cat, the methods below). */
  constructor(node: ExprNode, exprShape: Shape) {
    this.node = node;
    this.shape = exprShape;
    if (node.kind === 'ref') {
      this.owner = node.signal.owner;
      this.isConstant = false;
    } else {
      const cs = children(node);
      this.owner = cs.find((c) => c.owner !== undefined)?.owner;
      this.isConstant = cs.every((c) => c.isConstant);
    }
  }

  add(b: Operand): Expr {
    return binary('add', this, b);
  }
  sub(b: Operand): Expr {
    return binary('sub', this, b);
  }
  mul(b: Operand): Expr {
    return binary('mul', this, b);
  }
  and(b: Operand): Expr {
    return binary('and', this, b);
  }
  or(b: Operand): Expr {
    return binary('or', this, b);
  }
  xor(b: Operand): Expr {
    return binary('xor', this, b);
  }
  eq(b: Operand): Expr {
    return binary('eq', this, b);
  }
  ne(b: Operand): Expr {
    return binary('ne', this, b);
  }
  lt(b: Operand): Expr {
    return binary('lt', this, b);
  }
  le(b: Operand): Expr {
    return binary('le', this, b);
  }
  gt(b: Operand): Expr {
    return binary('gt', this, b);
  }
  ge(b: Operand): Expr {
    return binary('ge', this, b);
  }
  neg(): Expr {
    return unary('neg', this);
  }
  not(): Expr {
    return unary('not', this);
  }

  /** Left shift: by a constant (a number) or by an unsigned expression. Grows. */
  shl(amount: Expr | number): Expr {
    if (typeof amount === 'number') return constShift('shlConst', this, amount);
    return binary('shl', this, amount);
  }

  /** Right shift (floor for signed values): by a constant or an unsigned expression. */
  shr(amount: Expr | number): Expr {
    if (typeof amount === 'number') return constShift('shrConst', this, amount);
    return binary('shr', this, amount);
  }

  /** Bits [hi:lo] of the two's-complement pattern, unsigned. */
  slice(hi: number, lo: number): Expr {
    return ruled('slice', [this], () => new Expr({ kind: 'slice', a: this, hi, lo }, sliceShape(this.shape, hi, lo)));
  }

  bit(i: number): Expr {
    return this.slice(i, i);
  }

  /** To any shape: sign/zero extension (by this value's signedness) or two's-complement wrap. */
  resize(to: Shape): Expr {
    const s = checkShape(to, `${where(this)}resize of ${describe(this)}`);
    if (shapeEquals(s, this.shape)) return this;
    return new Expr({ kind: 'resize', a: this }, s);
  }

  /** Keeps the low `width` bits, same signedness (wraps). Only narrows. */
  truncate(width: number): Expr {
    if (!Number.isInteger(width) || width < 1 || width > this.shape.width) {
      throw new DslError(
        `${where(this)}truncate of ${describe(this)} (${shapeName(this.shape)}) to ${String(width)} bits is invalid: ` +
          `truncate only narrows (1 to ${this.shape.width} bits); use .resize() to extend`,
      );
    }
    return this.resize(this.shape.signed ? shape(width, true) : bus(width));
  }

  /** The same bits read as signed. */
  asSigned(): Expr {
    return this.resize(checkShape({ width: this.shape.width, signed: true }, `${where(this)}asSigned of ${describe(this)}`));
  }

  /** The same bits read as unsigned. */
  asUnsigned(): Expr {
    return this.resize(bus(this.shape.width));
  }

  /** Clamps to the range of `to` and returns a value of that shape. */
  saturate(to: Shape): Expr {
    const s = checkShape(to, `${where(this)}saturate of ${describe(this)}`);
    if (shapeEquals(s, this.shape)) return this;
    return clampNode(this, minOf(s), maxOf(s), `saturate(${shapeName(s)})`);
  }

  /** Clamps to [lo, hi]; the result has the smallest shape holding [lo, hi]. */
  clamp(lo: bigint | number, hi: bigint | number): Expr {
    const l = toBigInt(lo, `${where(this)}clamp lo`);
    const h = toBigInt(hi, `${where(this)}clamp hi`);
    if (l > h) throw new DslError(`${where(this)}clamp of ${describe(this)}: lo ${l} is above hi ${h}: need lo <= hi`);
    return clampNode(this, l, h, 'clamp');
  }

  /** max(x, 0). Unsigned values pass through; signed s(n) becomes u(n-1). */
  relu(): Expr {
    if (!this.shape.signed) return this;
    return clampNode(this, 0n, maxOf(this.shape), 'relu');
  }

  /** x / 2^k rounded by `mode` (see src/arith/rounding.ts); shape from roundShiftShape. */
  roundShift(k: number, mode: RoundingMode): Expr {
    if (typeof mode !== 'string' || !isRoundingMode(mode)) {
      throw new DslError(`${where(this)}roundShift: mode ${JSON.stringify(mode)} is unknown: use one of ${ROUNDING_MODES.join(', ')}`);
    }
    if (!Number.isInteger(k) || k < 0 || k > 1024) {
      throw new DslError(`${where(this)}roundShift: shift ${String(k)} is invalid: a shift must be an integer from 0 to 1024`);
    }
    arithmeticOperand(this, `roundShift`);
    if (k === 0) return this;
    return ruled('roundShift', [this], () => new Expr({ kind: 'roundShift', a: this, k, mode }, roundShiftShape(this.shape, k, mode)));
  }
}

/** A named signal of a module (port, wire, register, instance output, memory read). */
export class Signal extends Expr {
  readonly info: SignalInfo;
  constructor(info: SignalInfo) {
    super({ kind: 'ref', signal: info }, info.shape);
    this.info = info;
  }
  get name(): string {
    return this.info.name;
  }
  get kind(): SignalKind {
    return this.info.kind;
  }
}

/** A constant; the value must fit the shape. */
export function constant(value: bigint | number, s: Shape): Expr {
  const v = toBigInt(value, 'constant');
  const sh = checkShape(s, `constant ${v}`);
  if (!fits(v, sh)) {
    throw new DslError(`constant ${v} does not fit ${shapeName(sh)} (${minOf(sh)}..${maxOf(sh)})`);
  }
  return new Expr({ kind: 'const', value: v }, sh);
}

/** Short alias of constant(). */
export const lit = constant;

/** `whenTrue` when `sel` (u1) is 1, else `whenFalse`; both extended to unify(a, b). */
export function mux(sel: Expr, whenTrue: Operand, whenFalse: Operand): Expr {
  const t = toExpr(whenTrue, 'mux');
  const f = toExpr(whenFalse, 'mux');
  if (sel.shape.width !== 1 || sel.shape.signed) {
    throw new DslError(
      `${where(sel, t, f)}mux: select ${describe(sel)} is ${shapeName(sel.shape)}: a mux select must be u1 (compare or .bit() to get one bit)`,
    );
  }
  // Equal shapes need no unify, which also lets packed buses be muxed.
  const s = shapeEquals(t.shape, f.shape) ? t.shape : ruled('mux', [t, f], () => unify(t.shape, f.shape));
  return new Expr({ kind: 'mux', sel, whenTrue: t, whenFalse: f }, s);
}

/** Concatenation, first part most significant (as Verilog {a, b}); unsigned. */
export function cat(...parts: Operand[]): Expr {
  if (parts.length === 0) throw new DslError('cat: needs at least one part');
  const es = parts.map((p) => toExpr(p, 'cat'));
  const total = es.reduce((w, e) => w + e.shape.width, 0);
  if (total > MAX_BUS_WIDTH) {
    throw new DslError(`${where(...es)}cat: ${es.length} parts are ${total} bits wide: at most ${MAX_BUS_WIDTH} bits`);
  }
  // Within arithmetic widths the shared rule decides; above it the result is a
  // packed bus (the same width rule, beyond src/arith's value cap).
  const s = total <= MAX_WIDTH ? ruled('cat', es, () => concatShape(es.map((e) => e.shape))) : bus(total);
  return new Expr({ kind: 'concat', parts: es }, s);
}

/** A short name for an expression in messages: the signal name, the constant, or the operator. */
export function describe(e: Expr): string {
  const n = e.node;
  switch (n.kind) {
    case 'ref':
      return n.signal.name;
    case 'const':
      return `constant ${n.value}`;
    case 'binary':
    case 'unary':
      return `${n.op}(...)`;
    default:
      return `${n.kind}(...)`;
  }
}

/** "module m: " for the first operand that reads a signal, else "". */
export function where(...es: readonly Expr[]): string {
  const o = es.find((e) => e.owner !== undefined)?.owner;
  return o === undefined ? '' : `module ${o.name}: `;
}

function toBigInt(v: bigint | number, who: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new DslError(`${who}: ${String(v)} is not an integer (use a bigint beyond 2^53)`);
}

function toExpr(v: Operand, who: string): Expr {
  if (v instanceof Expr) return v;
  const b = toBigInt(v, who);
  return new Expr({ kind: 'const', value: b }, shapeOfRange(range(b, b)));
}

function arithmeticOperand(e: Expr, op: string): void {
  if (isBusWide(e.shape)) {
    throw new DslError(
      `${where(e)}${op}: operand ${describe(e)} is a ${e.shape.width}-bit bus: ` +
        `arithmetic takes at most ${MAX_WIDTH} bits; take a .slice() of it first`,
    );
  }
}

/** Runs a src/arith rule; its ShapeError becomes a DslError naming the operator and operands. */
function ruled<T>(op: string, operands: readonly Expr[], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) {
      const args = operands.map((o) => `${describe(o)} (${shapeName(o.shape)})`).join(', ');
      const tooWide = /^(?:un)?signed: width (\d+) is invalid/.exec(e.message);
      const rule = tooWide
        ? `the result would be ${tooWide[1]} bits wide: at most ${MAX_WIDTH} bits`
        : e.message.startsWith(`${op}: `)
          ? e.message.slice(op.length + 2)
          : e.message;
      throw new DslError(`${where(...operands)}${op} of ${args}: ${rule}`);
    }
    throw e;
  }
}

function binary(op: BinaryOp, a: Expr, bOperand: Operand): Expr {
  const b = toExpr(bOperand, op);
  arithmeticOperand(a, op);
  arithmeticOperand(b, op);
  return ruled(op, [a, b], () => new Expr({ kind: 'binary', op, a, b }, BINARY_RULES[op].shape(a.shape, b.shape)));
}

function unary(op: UnaryOp, a: Expr): Expr {
  arithmeticOperand(a, op);
  return new Expr({ kind: 'unary', op, a }, ruled(op, [a], () => UNARY_RULES[op].shape(a.shape)));
}

function constShift(kind: 'shlConst' | 'shrConst', a: Expr, k: number): Expr {
  const op = kind === 'shlConst' ? 'shl' : 'shr';
  if (!Number.isInteger(k) || k < 0 || k > MAX_CONST_SHIFT) {
    throw new DslError(`${where(a)}${op}: constant shift ${String(k)} is invalid: it must be an integer from 0 to ${MAX_CONST_SHIFT}`);
  }
  arithmeticOperand(a, op);
  if (k === 0) return a;
  const s = ruled(`${op} by ${k}`, [a], () => (kind === 'shlConst' ? shlConstShape(a.shape, k) : shrConstShape(a.shape, k)));
  return new Expr({ kind, a, k }, s);
}

function clampNode(a: Expr, lo: bigint, hi: bigint, op: string): Expr {
  arithmeticOperand(a, op);
  const s = ruled(op, [a], () => shapeOfRange(range(lo, hi)));
  return new Expr({ kind: 'clamp', a, lo, hi }, s);
}
