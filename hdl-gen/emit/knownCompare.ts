/**
 * Comparisons whose result the operands already decide (u1 x < 0, 0 <= x,
 * x > 255 for u8 x), judged on the emitted operands: a literal is its value,
 * a net any value of its shape. Emitted as a literal, because Verilator
 * -Wall rejects a comparison that is constant (UNSIGNED, CMPCONST), and
 * because the value is exact either way.
 */
import { type Range, fromBits, range, rangeOf, shape } from '../../src/arith/index.ts';
import type { Operand } from './operand.ts';

type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

function rangeOfOperand(op: Operand): Range {
  const s = shape(op.width, op.signed);
  if (op.kind === 'lit') {
    const v = fromBits(op.bits, s);
    return range(v, v);
  }
  return rangeOf(s);
}

/** The result when every operand value gives the same one, else undefined. */
export function knownCompare(op: CompareOp, a: Operand, b: Operand): boolean | undefined {
  const x = rangeOfOperand(a);
  const y = rangeOfOperand(b);
  const disjoint = x.hi < y.lo || y.hi < x.lo;
  switch (op) {
    case 'eq':
      return disjoint ? false : undefined;
    case 'ne':
      return disjoint ? true : undefined;
    case 'lt':
      return x.hi < y.lo ? true : x.lo >= y.hi ? false : undefined;
    case 'le':
      return x.hi <= y.lo ? true : x.lo > y.hi ? false : undefined;
    case 'gt':
      return x.lo > y.hi ? true : x.hi <= y.lo ? false : undefined;
    case 'ge':
      return x.lo >= y.hi ? true : x.hi < y.lo ? false : undefined;
  }
}
