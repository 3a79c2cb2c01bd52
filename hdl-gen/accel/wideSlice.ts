import { type Expr, cat } from '../dsl/expr.ts';

/** Bits [hi:lo] of a packed bus of any width (arithmetic slices stop at 256 bits): concatenated chunks. */
export function wideSlice(e: Expr, hi: number, lo: number): Expr {
  const parts: Expr[] = [];
  for (let top = hi; top >= lo; top -= 256) parts.push(e.slice(top, Math.max(lo, top - 255)));
  return parts.length === 1 ? parts[0]! : cat(...parts);
}
