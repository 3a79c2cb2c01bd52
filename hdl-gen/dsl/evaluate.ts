/**
 * The DSL's meaning, in BigInt: every node evaluated by the same src/arith
 * functions that define its shape (BINARY_RULES/UNARY_RULES evaluate,
 * sliceValue, concatValue, wrap, clamp, roundShift). The expression fuzzer
 * holds the emitted Verilog to this, bit for bit.
 */
import {
  BINARY_RULES,
  UNARY_RULES,
  clamp,
  concatValue,
  fits,
  roundShift,
  shapeName,
  sliceValue,
  wrap,
} from '../../src/arith/index.ts';
import { DslError, internalError } from './dslError.ts';
import type { Expr, SignalInfo } from './expr.ts';

/** Values of the signals an expression reads: by name, or by a lookup function. */
export type EvalEnv = ReadonlyMap<string, bigint> | ((signal: SignalInfo) => bigint | undefined);

export function evaluate(expr: Expr, env: EvalEnv = new Map()): bigint {
  const lookup = typeof env === 'function' ? env : (s: SignalInfo) => env.get(s.name);
  return evaluateWith(expr, lookup, new Map());
}

/** Evaluates several expressions over one environment, sharing common subtrees. */
export function evaluateAll(exprs: readonly Expr[], env: EvalEnv): bigint[] {
  const lookup = typeof env === 'function' ? env : (s: SignalInfo) => env.get(s.name);
  const memo = new Map<Expr, bigint>();
  return exprs.map((e) => evaluateWith(e, lookup, memo));
}

function evaluateWith(root: Expr, lookup: (s: SignalInfo) => bigint | undefined, memo: Map<Expr, bigint>): bigint {
  const ev = (e: Expr): bigint => {
    const hit = memo.get(e);
    if (hit !== undefined) return hit;
    const v = node(e);
    if (!fits(v, e.shape)) internalError(`evaluate: ${e.node.kind} gave ${v}, which does not fit ${shapeName(e.shape)}`);
    memo.set(e, v);
    return v;
  };
  const node = (e: Expr): bigint => {
    const n = e.node;
    switch (n.kind) {
      case 'const':
        return n.value;
      case 'ref': {
        const v = lookup(n.signal);
        if (v === undefined) throw new DslError(`evaluate: no value given for signal ${n.signal.name}`);
        if (!fits(v, n.signal.shape)) {
          throw new DslError(`evaluate: value ${v} given for signal ${n.signal.name} does not fit ${shapeName(n.signal.shape)}`);
        }
        return v;
      }
      case 'binary':
        return BINARY_RULES[n.op].evaluate(ev(n.a), ev(n.b), n.a.shape, n.b.shape);
      case 'unary':
        return UNARY_RULES[n.op].evaluate(ev(n.a), n.a.shape);
      case 'shlConst':
        return ev(n.a) << BigInt(n.k);
      case 'shrConst':
        return ev(n.a) >> BigInt(n.k); // floor, as roundShift(x, k, 'rdn')
      case 'slice':
        return sliceValue(ev(n.a), n.a.shape, n.hi, n.lo);
      case 'concat':
        return concatValue(n.parts.map(ev), n.parts.map((p) => p.shape));
      case 'mux':
        return ev(n.sel) === 1n ? ev(n.whenTrue) : ev(n.whenFalse);
      case 'resize':
        return wrap(ev(n.a), e.shape);
      case 'clamp':
        return clamp(ev(n.a), n.lo, n.hi);
      case 'roundShift':
        return roundShift(ev(n.a), n.k, n.mode);
    }
  };
  return ev(root);
}
