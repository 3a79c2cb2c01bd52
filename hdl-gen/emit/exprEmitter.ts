/**
 * Lowers expression trees into Verilog wires. Every operator node becomes one
 * `wire` of exactly its rule width, and each operand is first extended (by its
 * own signedness) to the width the operator works at, so Verilog's
 * context-dependent sizing and signedness rules never decide a result:
 *
 * - add, sub, mul, and, or, xor, neg: operands extended to the result width;
 *   the operation mod 2^width is exact because the result fits (src/arith).
 * - compares: operands extended to unify(a, b); `$signed` on both sides when
 *   that shape is signed.
 * - shl: the value extended to the result width; shr: `>>>` on `$signed` for
 *   signed values. Constant shifts, slices and truncations are bit ranges.
 * - clamp/saturate and roundShift are rewritten into those primitives, and a
 *   right shift by an amount wider than needed is narrowed (dsl/lower.ts).
 *
 * Subtrees without signals are folded to literals by the evaluator; values
 * Verilator could still prove constant are folded too (fold.ts), because
 * -Wall rejects comparisons that its own folding makes constant.
 */
import { type Shape, shapeName, unify, wrap } from '../../src/arith/index.ts';
import { evaluate } from '../dsl/evaluate.ts';
import type { Expr, SignalInfo } from '../dsl/expr.ts';
import { lowerClamp, lowerRoundShift, lowerWideShift } from '../dsl/lower.ts';
import { foldBinary, foldUnary, literalValue } from './fold.ts';
import { literal } from './literal.ts';
import type { NameAllocator } from './names.ts';
import { type Operand, type OperandWriter, litOperand, netOperand } from './operand.ts';
import type { EmittedOperator, OperatorContext } from './emittedOperator.ts';

const SYMBOL = {
  add: '+',
  sub: '-',
  mul: '*',
  and: '&',
  or: '|',
  xor: '^',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
} as const;

/** `[hi:0] ` or nothing for one bit. */
export function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0] `;
}

export class ExprEmitter {
  readonly #w: OperandWriter;
  readonly #names: NameAllocator;
  readonly #lines: string[];
  readonly #memo = new Map<Expr, Operand>();
  /** Intermediate wires created, for the unused-bit sink. */
  readonly intermediates: { name: string; width: number }[] = [];
  /** Every arithmetic operator the emitted text contains, once per wire (see emittedOperator.ts). */
  readonly operators: EmittedOperator[] = [];
  /** The clamp or roundShift being lowered, when inside one. */
  #context: OperatorContext | undefined;

  constructor(writer: OperandWriter, names: NameAllocator, lines: string[]) {
    this.#w = writer;
    this.#names = names;
    this.#lines = lines;
  }

  /** The operand holding `e`'s value; intermediates are named after `base`. */
  emit(e: Expr, base: string): Operand {
    const hit = this.#memo.get(e);
    if (hit) return hit;
    const op = this.#emitNode(e, base, undefined);
    this.#memo.set(e, op);
    return op;
  }

  /**
   * Drives the declared net `target` (same shape as `e`) with `e`: the root
   * operator is assigned straight to it instead of to an intermediate.
   */
  emitInto(e: Expr, target: string): void {
    const hit = this.#memo.get(e);
    const op = hit ?? this.#emitNode(e, target, target);
    if (op.kind === 'net' && op.name === target) {
      this.#memo.set(e, op);
      return;
    }
    // The root was shared, a bit range or a literal: assign its text.
    this.#lines.push(`assign ${target} = ${this.#w.full(op)};`);
    if (!hit) this.#memo.set(e, op);
  }

  /** Wires already emitted, by shape and text: the same text computes the same value. */
  readonly #byText = new Map<string, Operand>();

  /** `into`: the root's own wire is the declared net of that name (see emitInto). */
  #wire(base: string, s: Shape, text: string, note: string, into: string | undefined, record?: Omit<EmittedOperator, 'signal' | 'context'>): Operand {
    const key = `${shapeName(s)} ${text}`;
    const prior = this.#byText.get(key);
    if (prior !== undefined) {
      if (into === undefined) return prior;
      this.#lines.push(`assign ${into} = ${this.#w.full(prior)};`);
      return netOperand(into, s);
    }
    // A new wire: the operator it computes exists once in the netlist.
    if (record !== undefined) this.operators.push({ ...record, signal: into ?? base, context: this.#context });
    let op: Operand;
    if (into !== undefined) {
      this.#lines.push(`assign ${into} = ${text}; // ${shapeName(s)} ${note}`);
      op = netOperand(into, s);
    } else {
      const name = this.#names.fresh(base);
      this.#lines.push(`wire ${range(s.width)}${name} = ${text}; // ${shapeName(s)} ${note}`);
      this.intermediates.push({ name, width: s.width });
      op = netOperand(name, s);
    }
    this.#byText.set(key, op);
    return op;
  }

  #emitNode(e: Expr, base: string, into?: string): Operand {
    if (e.isConstant) return litOperand(evaluate(e), e.shape);
    const w = this.#w;
    const s = e.shape;
    const n = e.node;
    switch (n.kind) {
      case 'const':
        return litOperand(n.value, s);
      case 'ref':
        return netOf(n.signal);
      case 'binary': {
        const narrowed = lowerWideShift(e);
        if (narrowed !== undefined) return this.#emitNode(narrowed, base, into);
        const a = this.emit(n.a, base);
        const b = this.emit(n.b, base);
        const folded = foldBinary(n.op, a, b, n.a.shape, n.b.shape, s);
        if (folded !== undefined) return folded;
        switch (n.op) {
          case 'add':
          case 'sub':
          case 'mul':
          case 'and':
          case 'or':
          case 'xor':
            return this.#wire(base, s, `${w.ext(a, s.width)} ${SYMBOL[n.op]} ${w.ext(b, s.width)}`, n.op, into, operatorOf(n.op, n.a.shape, n.b.shape, a, b));
          case 'eq':
          case 'ne':
          case 'lt':
          case 'le':
          case 'gt':
          case 'ge': {
            const u = unify(n.a.shape, n.b.shape);
            const x = w.ext(a, u.width);
            const y = w.ext(b, u.width);
            const ordered = n.op !== 'eq' && n.op !== 'ne';
            const text = u.signed && ordered ? `$signed(${x}) ${SYMBOL[n.op]} $signed(${y})` : `${x} ${SYMBOL[n.op]} ${y}`;
            return this.#wire(base, s, text, `${n.op} at ${shapeName(u)}`, into, operatorOf(n.op, u, u, a, b));
          }
          case 'shl':
            return this.#wire(base, s, `${w.ext(a, s.width)} << ${w.full(b)}`, 'shl', into, operatorOf('shl', n.a.shape, n.b.shape, a, b));
          case 'shr': {
            const text = n.a.shape.signed ? `$signed(${w.full(a)}) >>> ${w.full(b)}` : `${w.full(a)} >> ${w.full(b)}`;
            return this.#wire(base, s, text, 'shr', into, operatorOf('shr', n.a.shape, n.b.shape, a, b));
          }
        }
        break;
      }
      case 'unary': {
        const a = this.emit(n.a, base);
        const folded = foldUnary(n.op, a, n.a.shape, s);
        if (folded !== undefined) return folded;
        return n.op === 'neg'
          ? this.#wire(base, s, `-${w.ext(a, s.width)}`, 'neg', into, { op: 'neg', a: n.a.shape.width, b: 0, constantOperand: false })
          : this.#wire(base, s, `~${w.full(a)}`, 'not', into);
      }
      case 'shlConst': {
        const a = this.emit(n.a, base);
        const v = literalValue(a);
        if (v !== undefined) return litOperand(v << BigInt(n.k), s);
        return this.#wire(base, s, `{${w.full(a)}, ${literal(0n, n.k)}}`, `shl by ${n.k}`, into);
      }
      case 'shrConst': {
        const a = this.emit(n.a, base);
        const width = n.a.shape.width;
        // floor(x / 2^k): the high bits; past the width only the sign remains.
        if (n.k < width) return w.slice(a, width - 1, n.k, s.signed);
        return s.signed ? w.slice(a, width - 1, width - 1, true) : litOperand(0n, s);
      }
      case 'slice':
        return w.slice(this.emit(n.a, base), n.hi, n.lo, false);
      case 'concat': {
        const parts = n.parts.map((p) => this.emit(p, base));
        if (parts.every((p) => p.kind === 'lit')) {
          return litOperand(parts.reduce((acc, p) => (acc << BigInt(p.width)) | (p.kind === 'lit' ? p.bits : 0n), 0n), s);
        }
        if (parts.length === 1) return w.slice(parts[0]!, s.width - 1, 0, false);
        return this.#wire(base, s, `{${parts.map((p) => w.full(p)).join(', ')}}`, 'cat', into);
      }
      case 'mux': {
        const sel = this.emit(n.sel, base);
        const t = this.emit(n.whenTrue, base);
        const f = this.emit(n.whenFalse, base);
        const known = literalValue(sel);
        if (known !== undefined) {
          // A literal select picks its branch; extend it like the mux would.
          const pick = known === 1n ? t : f;
          const v = literalValue(pick);
          if (v !== undefined) return litOperand(v, s);
          if (pick.width === s.width) return w.slice(pick, s.width - 1, 0, s.signed);
          return this.#wire(base, s, w.ext(pick, s.width), 'mux with a constant select', into);
        }
        return this.#wire(base, s, `${w.full(sel)} ? ${w.ext(t, s.width)} : ${w.ext(f, s.width)}`, 'mux', into);
      }
      case 'resize': {
        const a = this.emit(n.a, base);
        const v = literalValue(a);
        if (v !== undefined) return litOperand(wrap(v, s), s);
        if (s.width <= n.a.shape.width) return w.slice(a, s.width - 1, 0, s.signed);
        return this.#wire(base, s, w.ext(a, s.width), `resize from ${shapeName(n.a.shape)}`, into);
      }
      case 'clamp':
        this.#lines.push(`// clamp of ${shapeName(n.a.shape)} to [${n.lo}, ${n.hi}]: compare and select`);
        return this.#lowered(lowerClamp(e), 'clamp', base, into);
      case 'roundShift':
        this.#lines.push(`// roundShift of ${shapeName(n.a.shape)} by ${n.k} (${n.mode}): floor plus rounding increment`);
        // The shift itself is wiring; it is listed once so an inventory can name it.
        this.operators.push({ op: 'roundShift', a: n.a.shape.width, b: n.k, constantOperand: false, signal: into ?? base, context: this.#context });
        return this.#lowered(lowerRoundShift(e), 'roundShift', base, into);
    }
    throw new Error('unreachable');
  }

  /** Emits a lowering, marking the operators it creates as part of it. */
  #lowered(lowered: Expr, context: OperatorContext, base: string, into: string | undefined): Operand {
    const outer = this.#context;
    this.#context = outer ?? context;
    try {
      return this.#emitNode(lowered, base, into);
    } finally {
      this.#context = outer;
    }
  }
}

/** The record of a two-operand operator; `constantOperand` when either side is a literal. */
function operatorOf(op: EmittedOperator['op'], a: Shape, b: Shape, x: Operand, y: Operand): Omit<EmittedOperator, 'signal' | 'context'> {
  return { op, a: a.width, b: b.width, constantOperand: x.kind === 'lit' || y.kind === 'lit', zeroOperand: isZero(x) || isZero(y) };
}

function isZero(o: Operand): boolean {
  return o.kind === 'lit' && o.bits === 0n;
}

export function netOf(s: SignalInfo): Operand {
  return netOperand(s.name, s.shape);
}
