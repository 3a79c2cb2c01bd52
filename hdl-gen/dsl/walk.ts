/** Tree walks over expressions (shared subtrees are visited once). */
import { type Expr, type SignalInfo, children } from './expr.ts';

/** Calls `f` once per distinct signal the expressions read, in first-read order. */
export function forEachRef(exprs: readonly Expr[], f: (s: SignalInfo) => void): void {
  const seenExpr = new Set<Expr>();
  const seenSignal = new Set<SignalInfo>();
  const stack = [...exprs].reverse();
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seenExpr.has(e) || e.isConstant) continue;
    seenExpr.add(e);
    if (e.node.kind === 'ref') {
      if (!seenSignal.has(e.node.signal)) {
        seenSignal.add(e.node.signal);
        f(e.node.signal);
      }
      continue;
    }
    const cs = children(e.node);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]!);
  }
}

export function refsOf(exprs: readonly Expr[]): SignalInfo[] {
  const out: SignalInfo[] = [];
  forEachRef(exprs, (s) => out.push(s));
  return out;
}
