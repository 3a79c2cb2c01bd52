/** Sum of many terms as a balanced adder tree (depth ceil(log2 n)); exact, it grows like add. */
import { DslError } from '../dsl/dslError.ts';
import type { Expr } from '../dsl/expr.ts';

export function sum(terms: readonly Expr[]): Expr {
  if (terms.length === 0) throw new DslError('sum: needs at least one term');
  let level = [...terms];
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
