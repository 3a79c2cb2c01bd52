/**
 * Which low bits of each expression node a module can ever observe: the
 * "dead bit" argument that proves a width-truncate mutant equivalent without
 * a solver. Roots (a wire's or output's driver, a register's next value or
 * enable, an instance or memory input) are observed in full; from there the
 * need flows down through the readers (bitsRead): a narrowing resize keeps
 * low bits (the DSL's resize wraps), and the low bits of sums, products and
 * bitwise operators depend only on the low bits of their operands. A node
 * whose top bit no reader needs can lose it without changing anything.
 */
import { type Range, addRanges, mulRanges, range, rangeOf, shape, subRanges, unionRanges } from '../../src/arith/index.ts';
import { type Expr, children } from '../dsl/expr.ts';
import { formatExpr } from '../dsl/formatExpr.ts';
import type { Module } from '../dsl/module.ts';

/** The expressions a module evaluates at its roots, all observed in full. */
export function moduleRoots(m: Module): Expr[] {
  const roots: Expr[] = [];
  for (const s of [...m.ports, ...m.signals]) {
    const d = m.driverOf(s);
    if (d !== undefined) roots.push(d);
  }
  for (const r of m.registers) {
    roots.push(r.next);
    if (r.enable !== undefined) roots.push(r.enable);
  }
  for (const inst of m.instances) for (const conn of inst.inputs) roots.push(conn.value);
  for (const mem of m.memories) {
    roots.push(mem.kind === 'rom' ? mem.addr : mem.writeAddr);
    if (mem.kind === 'ram') roots.push(mem.writeData, mem.writeEnable, mem.readAddr);
  }
  return roots;
}

/** Nodes reachable from the roots, every node after all of its readers (reverse post-order of the DAG). */
function readersFirst(roots: readonly Expr[]): Expr[] {
  const post: Expr[] = [];
  const seen = new Set<Expr>();
  const stack: { e: Expr; done: boolean }[] = roots.map((e) => ({ e, done: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.done) {
      post.push(top.e);
      continue;
    }
    if (seen.has(top.e)) continue;
    seen.add(top.e);
    stack.push({ e: top.e, done: true });
    for (const c of children(top.e.node)) stack.push({ e: c, done: false });
  }
  return post.reverse();
}

/**
 * How many low bits of `child` determine the low `k` bits `parent` must get
 * right. In two's complement the low k bits of a + b, a - b, a * b, -a, ~a,
 * a & b, a | b, a ^ b and of a mux's arms depend only on the low k bits of
 * the operands (extended to the result width first: an operand narrower than
 * k is needed whole, its top bit being extended). A narrowing resize keeps
 * low bits; a slice [hi:lo] reads bits lo .. lo + k - 1; a constant left
 * shift by n reads the low k - n bits, a right shift the low k + n. Every
 * other reader (compares, variable shifts, clamps, rounding, concatenations,
 * a mux's select) reads the whole child.
 */
function bitsRead(parent: Expr, child: Expr, k: number): number {
  const n = parent.node;
  const w = child.shape.width;
  const low = (bits: number): number => Math.max(1, Math.min(w, bits));
  switch (n.kind) {
    case 'resize':
      return low(k);
    case 'slice':
      return low(n.lo + k);
    case 'shlConst':
      return low(k - n.k);
    case 'shrConst':
      return low(k + n.k);
    case 'unary':
      return low(k);
    case 'binary':
      return n.op === 'add' || n.op === 'sub' || n.op === 'mul' || n.op === 'and' || n.op === 'or' || n.op === 'xor' ? low(k) : w;
    case 'mux':
      return child === n.sel && n.sel !== n.whenTrue && n.sel !== n.whenFalse ? w : low(k);
    default:
      return w;
  }
}

/** For every node under the roots: the number of its low bits anything observes (its width when a root reads it). */
export function observedWidths(roots: readonly Expr[]): Map<Expr, number> {
  const need = new Map<Expr, number>();
  const mark = (e: Expr, bits: number): void => {
    need.set(e, Math.max(need.get(e) ?? 0, bits));
  };
  for (const r of roots) mark(r, r.shape.width);
  // Readers first: a node's need is final before it is passed on to its children.
  for (const e of readersFirst(roots)) {
    const k = need.get(e) ?? e.shape.width;
    for (const c of children(e.node)) mark(c, bitsRead(e, c, k));
  }
  return need;
}

/**
 * The interval of values a node can take, from its leaves up (constants
 * exactly, signals by their shape), through the operators that grow exactly
 * (add, sub, mul, neg, constant shifts), a variable right shift (floor: the
 * value moves toward 0 or -1), resizes that keep the value, muxes and clamps; any
 * other node by its shape. A node whose interval fits one bit fewer than its
 * width has a top bit that only copies the sign (or is 0): losing it changes
 * nothing. Sound because each step over-approximates: when the computed
 * interval does not fit the node's shape, the shape's whole range is used.
 */
export function valueRanges(roots: readonly Expr[]): (e: Expr) => Range {
  const memo = new Map<Expr, Range>();
  const of = (e: Expr): Range => {
    const hit = memo.get(e);
    if (hit !== undefined) return hit;
    const r = clip(e, computed(e, of));
    memo.set(e, r);
    return r;
  };
  // Warm the memo children first (deep trees would overflow the stack of the recursion).
  for (const e of readersFirst(roots).reverse()) of(e);
  return of;
}

function computed(e: Expr, of: (e: Expr) => Range): Range {
  const n = e.node;
  switch (n.kind) {
    case 'const':
      return range(n.value, n.value);
    case 'binary':
      if (n.op === 'add') return addRanges(of(n.a), of(n.b));
      if (n.op === 'sub') return subRanges(of(n.a), of(n.b));
      if (n.op === 'mul') return mulRanges(of(n.a), of(n.b));
      if (n.op === 'shr') {
        // floor(x / 2^s) for an unsigned s >= 0 lies between x and 0 (or -1): within [min(lo, 0), max(hi, 0)].
        const a = of(n.a);
        return range(a.lo < 0n ? a.lo : 0n, a.hi > 0n ? a.hi : 0n);
      }
      return rangeOf(e.shape);
    case 'unary':
      if (n.op === 'neg') {
        const a = of(n.a);
        return range(-a.hi, -a.lo);
      }
      return rangeOf(e.shape);
    case 'shlConst': {
      const a = of(n.a);
      return range(a.lo << BigInt(n.k), a.hi << BigInt(n.k));
    }
    case 'shrConst': {
      // BigInt >> is floor division by 2^k, as the DSL's constant right shift.
      const a = of(n.a);
      return range(a.lo >> BigInt(n.k), a.hi >> BigInt(n.k));
    }
    case 'resize':
      // A resize keeps the value when the value fits (clip falls back otherwise).
      return of(n.a);
    case 'mux':
      return unionRanges(of(n.whenTrue), of(n.whenFalse));
    case 'clamp': {
      const a = of(n.a);
      const lo = a.lo > n.lo ? a.lo : n.lo;
      const hi = a.hi < n.hi ? a.hi : n.hi;
      return lo <= hi ? range(lo, hi) : rangeOf(e.shape);
    }
    default:
      return rangeOf(e.shape);
  }
}

function clip(e: Expr, r: Range): Range {
  const s = rangeOf(e.shape);
  return r.lo >= s.lo && r.hi <= s.hi ? r : s;
}

/** True when every value of r fits `width` bits of the given signedness. */
export function rangeFits(r: Range, width: number, signed: boolean): boolean {
  if (width < 1) return false;
  const s = rangeOf(shape(width, signed));
  return r.lo >= s.lo && r.hi <= s.hi;
}

/**
 * Compares whose strictness cannot matter: every reader is a mux that
 * selects between the compare's own two operands (`mux(a > b, a, b)`, a
 * running maximum or a clamp). On a tie both arms are the same value, so
 * `>` and `>=` (or `<` and `<=`) select equal values. A compare that a root
 * reads (a wire's driver) or any other reader sees is not in the set.
 */
export function tieSafeCompares(roots: readonly Expr[]): Set<Expr> {
  const isRoot = new Set(roots);
  const readers = new Map<Expr, Expr[]>();
  for (const e of readersFirst(roots)) {
    for (const c of children(e.node)) {
      const list = readers.get(c);
      if (list === undefined) readers.set(c, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  }
  const same = (x: Expr, y: Expr): boolean => x === y || formatExpr(x) === formatExpr(y);
  const safe = new Set<Expr>();
  for (const [c, rs] of readers) {
    const n = c.node;
    if (isRoot.has(c) || n.kind !== 'binary' || !['gt', 'ge', 'lt', 'le'].includes(n.op)) continue;
    const ok = rs.every((p) => {
      const m = p.node;
      if (m.kind !== 'mux' || m.sel !== c || m.whenTrue === c || m.whenFalse === c) return false;
      return (same(m.whenTrue, n.a) && same(m.whenFalse, n.b)) || (same(m.whenTrue, n.b) && same(m.whenFalse, n.a));
    });
    if (ok) safe.add(c);
  }
  return safe;
}

/** The 1-bit conjuncts of an and-tree (a 1-bit `and` is a logical and). */
function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  const n = e.node;
  if (n.kind === 'binary' && n.op === 'and' && e.shape.width === 1) {
    conjuncts(n.a, out);
    conjuncts(n.b, out);
  } else out.push(e);
  return out;
}

/** `x >= 0` (or `0 <= x`): true exactly when x is not negative. */
function isNonNegativeTest(e: Expr, x: Expr): boolean {
  const n = e.node;
  if (n.kind !== 'binary') return false;
  const zero = (z: Expr): boolean => z.node.kind === 'const' && z.node.value === 0n;
  const same = (y: Expr): boolean => y === x || formatExpr(y) === formatExpr(x);
  return (n.op === 'ge' && same(n.a) && zero(n.b)) || (n.op === 'le' && zero(n.a) && same(n.b));
}

/**
 * Compares whose signedness cannot matter: each operand is either never
 * negative (its value range) or guarded, meaning every reader of the compare
 * is a 1-bit and-tree that also holds `operand >= 0` (a bounds check
 * `x >= 0 && x < n`). Where a guard is false the and is 0 whatever the compare
 * says; where every guard is true both operands are non-negative, and a
 * signed and an unsigned compare of non-negative values agree (the unsigned
 * form only reinterprets each operand's bits and zero-extends).
 */
export function signSafeCompares(roots: readonly Expr[], rangeOfNode: (e: Expr) => Range): Set<Expr> {
  const isRoot = new Set(roots);
  const readers = new Map<Expr, Expr[]>();
  for (const e of readersFirst(roots)) {
    for (const c of children(e.node)) {
      const list = readers.get(c);
      if (list === undefined) readers.set(c, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  }
  const safe = new Set<Expr>();
  for (const [c, rs] of readers) {
    const n = c.node;
    if (isRoot.has(c) || n.kind !== 'binary' || !['gt', 'ge', 'lt', 'le'].includes(n.op)) continue;
    const ok = [n.a, n.b].every((x) => {
      if (rangeOfNode(x).lo >= 0n) return true;
      return rs.every((p) => {
        const pn = p.node;
        if (pn.kind !== 'binary' || pn.op !== 'and' || p.shape.width !== 1) return false;
        return conjuncts(p).some((q) => q !== c && isNonNegativeTest(q, x));
      });
    });
    if (ok) safe.add(c);
  }
  return safe;
}

/**
 * A predicate "e is 0 whenever x is 0", sound and incomplete (false means
 * unknown): x itself, the constant 0, sums, differences and bitwise or/xor of
 * such values, products and ands with one such operand, shifts, slices,
 * resizes, negation and rounding shifts of one, muxes whose two arms are, and
 * the compares that are false on equal operands (ne, lt, gt) of two.
 */
export function zeroWhenZero(x: Expr): (e: Expr) => boolean {
  const memo = new Map<Expr, boolean>();
  const key = formatExpr(x);
  const z = (e: Expr): boolean => {
    const hit = memo.get(e);
    if (hit !== undefined) return hit;
    let r: boolean;
    const n = e.node;
    // The same value written twice is found by its text (only at x's shape: the text is costly on big trees).
    if (e === x || (n.kind !== 'const' && e.shape.width === x.shape.width && e.shape.signed === x.shape.signed && formatExpr(e) === key)) r = true;
    else {
      switch (n.kind) {
        case 'const': r = n.value === 0n; break;
        case 'ref': r = false; break;
        case 'binary':
          if (['add', 'sub', 'or', 'xor', 'ne', 'lt', 'gt'].includes(n.op)) r = z(n.a) && z(n.b);
          else if (n.op === 'and' || n.op === 'mul') r = z(n.a) || z(n.b);
          else if (n.op === 'shl' || n.op === 'shr') r = z(n.a);
          else r = false;
          break;
        case 'unary': r = n.op === 'neg' && z(n.a); break;
        case 'shlConst':
        case 'shrConst':
        case 'slice':
        case 'resize':
        case 'roundShift': r = z(n.a); break;
        case 'clamp': r = z(n.a) && n.lo <= 0n && n.hi >= 0n; break;
        case 'concat': r = n.parts.every(z); break;
        case 'mux': r = z(n.whenTrue) && z(n.whenFalse); break;
      }
    }
    memo.set(e, r);
    return r;
  };
  return z;
}

/**
 * Compare constants that may move by one: `x < c` made `x < c'` (and the
 * other strict and non-strict compares) differs only at one value of x, and
 * when that value is 0 and every reader of the compare is a mux whose two
 * arms are both 0 whenever x is 0 (PReLU's `mux(x < 0, slope(x), x)`), the
 * mux gives 0 either way. Returns, per constant node, the new values that are
 * safe.
 */
export function boundarySafeConstants(roots: readonly Expr[]): Map<Expr, Set<bigint>> {
  const readers = new Map<Expr, Expr[]>();
  for (const e of readersFirst(roots)) {
    for (const c of children(e.node)) {
      const list = readers.get(c);
      if (list === undefined) readers.set(c, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  }
  const isRoot = new Set(roots);
  const out = new Map<Expr, Set<bigint>>();
  for (const [k, rs] of readers) {
    const kn = k.node;
    if (kn.kind !== 'const') continue;
    const c = kn.value;
    for (const next of [c + 1n, c - 1n]) {
      // The one x where `x op c` and `x op next` differ: [lo, hi) for lt and ge, (lo, hi] for le and gt.
      const lo = c < next ? c : next;
      const hi = c < next ? next : c;
      const ok = rs.every((cmp) => {
        const n = cmp.node;
        if (isRoot.has(cmp) || n.kind !== 'binary' || n.b !== k || n.a === k) return false;
        const at = n.op === 'lt' || n.op === 'ge' ? lo : n.op === 'le' || n.op === 'gt' ? hi : undefined;
        if (at !== 0n) return false;
        const zero = zeroWhenZero(n.a);
        const muxes = readers.get(cmp) ?? [];
        return muxes.length > 0 && muxes.every((m) => m.node.kind === 'mux' && m.node.sel === cmp && m.node.whenTrue !== cmp && m.node.whenFalse !== cmp && zero(m.node.whenTrue) && zero(m.node.whenFalse));
      });
      if (ok) {
        const set = out.get(k) ?? new Set<bigint>();
        set.add(next);
        out.set(k, set);
      }
    }
  }
  return out;
}
