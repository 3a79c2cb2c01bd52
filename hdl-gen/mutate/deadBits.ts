/**
 * Which low bits of each expression node a module can ever observe: the
 * "dead bit" argument that proves a width-truncate mutant equivalent without
 * a solver. A node whose every reader is a narrowing resize (which keeps the
 * low bits: the DSL's resize wraps) or a slice below its top bit never shows
 * its top bit to anything, so losing that bit changes nothing. Roots (a
 * wire's or output's driver, a register's next value or enable, an instance
 * or memory input) are observed in full. Sound by construction: only
 * resize and slice narrow what a reader sees; every other operator counts as
 * reading all bits of its operands.
 */
import { type Expr, children } from '../dsl/expr.ts';
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

/** How many low bits of `child` a reader `parent` reads. */
function bitsRead(parent: Expr, child: Expr): number {
  const n = parent.node;
  if (n.kind === 'resize' && parent.shape.width < child.shape.width) return parent.shape.width;
  if (n.kind === 'slice') return n.hi + 1;
  return child.shape.width;
}

/** For every node under the roots: the number of its low bits anything reads (its width when a root reads it). */
export function observedWidths(roots: readonly Expr[]): Map<Expr, number> {
  const seen = new Map<Expr, number>();
  const mark = (e: Expr, bits: number): void => {
    seen.set(e, Math.max(seen.get(e) ?? 0, bits));
  };
  for (const r of roots) mark(r, r.shape.width);
  // Every node's readers are fixed by the tree, so visit each node once, and
  // record what it reads of each child (a max over all readers).
  const visited = new Set<Expr>();
  const stack = [...roots];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (visited.has(e)) continue;
    visited.add(e);
    for (const c of children(e.node)) {
      mark(c, bitsRead(e, c));
      stack.push(c);
    }
  }
  return seen;
}
