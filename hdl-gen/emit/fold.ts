/**
 * Constant folding on emitted operands. Verilator folds constants through
 * wires before it lints, and -Wall rejects a comparison that folding turns
 * constant (UNSIGNED: `x >= 0` for unsigned x; CMPCONST). So every value
 * Verilator can prove constant must already be a literal here:
 *   - operators whose operands are all literals (evaluated by src/arith);
 *   - absorbing operands: x & 0, x | all-ones, x * 0, 0 << n, 0 >> n, an
 *     unsigned value shifted right by a literal at least its width, a mux
 *     with a literal select;
 *   - identical operands: x ^ x, x - x (0), x == x, x <= x, x >= x (1),
 *     x != x, x < x, x > x (0);
 *   - comparisons the operand ranges decide (knownCompare.ts).
 * Every fold computes the exact value, so folding never changes a result.
 */
import { type BinaryOp, type Shape, type UnaryOp, BINARY_RULES, UNARY_RULES, fromBits, shape } from '../../src/arith/index.ts';
import { knownCompare } from './knownCompare.ts';
import { type Operand, litOperand } from './operand.ts';

export function literalValue(op: Operand): bigint | undefined {
  return op.kind === 'lit' ? fromBits(op.bits, shape(op.width, op.signed)) : undefined;
}

function same(a: Operand, b: Operand): boolean {
  if (a.kind === 'lit' || b.kind === 'lit') return false;
  return a.name === b.name && a.lo === b.lo && a.width === b.width && a.signed === b.signed;
}

const COMPARES = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** The literal `op(a, b)` folds to, or undefined. */
export function foldBinary(op: BinaryOp, a: Operand, b: Operand, sa: Shape, sb: Shape, result: Shape): Operand | undefined {
  const x = literalValue(a);
  const y = literalValue(b);
  if (x !== undefined && y !== undefined) return litOperand(BINARY_RULES[op].evaluate(x, y, sa, sb), result);
  const lit = (v: bigint): Operand => litOperand(v, result);
  switch (op) {
    case 'and':
      if (x === 0n || y === 0n) return lit(0n);
      break;
    case 'or': {
      // All ones at the result width: -1 for a signed result, 2^w - 1 otherwise.
      const ones = result.signed ? -1n : (1n << BigInt(result.width)) - 1n;
      const isOnes = (v: bigint | undefined, s: Shape): boolean => v !== undefined && (v === -1n || (!s.signed && v === ones && s.width === result.width));
      if (isOnes(x, sa) || isOnes(y, sb)) return lit(ones);
      break;
    }
    case 'mul':
      if (x === 0n || y === 0n) return lit(0n);
      break;
    case 'shl':
      if (x === 0n) return lit(0n);
      break;
    case 'shr':
      if (x === 0n) return lit(0n);
      if (!sa.signed && y !== undefined && y >= BigInt(sa.width)) return lit(0n);
      break;
    case 'xor':
    case 'sub':
      if (same(a, b)) return lit(0n);
      break;
    default:
      break;
  }
  if (COMPARES.has(op)) {
    if (same(a, b)) return lit(op === 'eq' || op === 'le' || op === 'ge' ? 1n : 0n);
    const known = knownCompare(op as 'eq', a, b);
    if (known !== undefined) return lit(known ? 1n : 0n);
  }
  return undefined;
}

export function foldUnary(op: UnaryOp, a: Operand, sa: Shape, result: Shape): Operand | undefined {
  const x = literalValue(a);
  return x === undefined ? undefined : litOperand(UNARY_RULES[op].evaluate(x, sa), result);
}
