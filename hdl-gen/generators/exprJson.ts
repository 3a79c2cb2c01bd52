/**
 * Expressions as JSON, for the comb_expr generator's config and for replaying
 * expression-fuzz failures (`pikehdl gen --unit comb_expr --config fail.json`).
 * Every node has an "op"; leaves are {"op": "leaf", "index": i}; integers are
 * numbers or decimal strings; shapes are "s8"/"u12".
 */
import { z } from 'zod';
import { BINARY_OPS, ROUNDING_MODES, UNARY_OPS, type BinaryOp, type RoundingMode, type UnaryOp, shapeName } from '../../src/arith/index.ts';
import { DslError } from '../dsl/dslError.ts';
import { type Expr, cat, constant, mux } from '../dsl/expr.ts';
import { ConfigError, fieldName } from './configError.ts';
import { intIn, intText, parseIntText, parseShapeText, shapeText } from './configFields.ts';

export type ExprJson =
  | { op: 'leaf'; index: number }
  | { op: 'const'; value: number | string; shape: string }
  | { op: BinaryOp; a: ExprJson; b: ExprJson }
  | { op: UnaryOp | 'relu'; a: ExprJson }
  | { op: 'shlConst' | 'shrConst'; a: ExprJson; k: number }
  | { op: 'slice'; a: ExprJson; hi: number; lo: number }
  | { op: 'cat'; parts: ExprJson[] }
  | { op: 'mux'; sel: ExprJson; a: ExprJson; b: ExprJson }
  | { op: 'resize' | 'saturate'; a: ExprJson; shape: string }
  | { op: 'clamp'; a: ExprJson; lo: number | string; hi: number | string }
  | { op: 'roundShift'; a: ExprJson; k: number; mode: RoundingMode };

export const exprJson: z.ZodType<ExprJson> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('leaf'), index: intIn(0, 65_535) }),
    z.strictObject({ op: z.literal('const'), value: intText, shape: shapeText }),
    z.strictObject({ op: z.enum(BINARY_OPS), a: exprJson, b: exprJson }),
    z.strictObject({ op: z.enum([...UNARY_OPS, 'relu']), a: exprJson }),
    z.strictObject({ op: z.enum(['shlConst', 'shrConst']), a: exprJson, k: intIn(0, 65_536) }),
    z.strictObject({ op: z.literal('slice'), a: exprJson, hi: intIn(0, 65_535), lo: intIn(0, 65_535) }),
    z.strictObject({ op: z.literal('cat'), parts: z.array(exprJson).min(1, 'needs at least one part') }),
    z.strictObject({ op: z.literal('mux'), sel: exprJson, a: exprJson, b: exprJson }),
    z.strictObject({ op: z.enum(['resize', 'saturate']), a: exprJson, shape: shapeText }),
    z.strictObject({ op: z.literal('clamp'), a: exprJson, lo: intText, hi: intText }),
    z.strictObject({ op: z.literal('roundShift'), a: exprJson, k: intIn(0, 1024), mode: z.enum(ROUNDING_MODES) }),
  ]),
);

/**
 * Builds the expression; `leaf(i)` supplies leaf i (and throws a DslError for
 * an index it lacks). A DSL rule broken inside (a slice past the width, a
 * signed shift amount) becomes a ConfigError naming the JSON path, e.g.
 * `config field outputs[2].a (op slice): ...`.
 */
export function exprFromJson(j: ExprJson, leaf: (index: number) => Expr, at: readonly PropertyKey[] = []): Expr {
  const sub = (x: ExprJson, key: PropertyKey): Expr => exprFromJson(x, leaf, [...at, key]);
  try {
    switch (j.op) {
      case 'leaf':
        return leaf(j.index);
      case 'const':
        return constant(parseIntText(j.value), parseShapeText(j.shape));
      case 'neg':
        return sub(j.a, 'a').neg();
      case 'not':
        return sub(j.a, 'a').not();
      case 'relu':
        return sub(j.a, 'a').relu();
      case 'shlConst':
        return sub(j.a, 'a').shl(j.k);
      case 'shrConst':
        return sub(j.a, 'a').shr(j.k);
      case 'slice':
        return sub(j.a, 'a').slice(j.hi, j.lo);
      case 'cat':
        return cat(...j.parts.map((p, i) => exprFromJson(p, leaf, [...at, 'parts', i])));
      case 'mux':
        return mux(sub(j.sel, 'sel'), sub(j.a, 'a'), sub(j.b, 'b'));
      case 'resize':
        return sub(j.a, 'a').resize(parseShapeText(j.shape));
      case 'saturate':
        return sub(j.a, 'a').saturate(parseShapeText(j.shape));
      case 'clamp':
        return sub(j.a, 'a').clamp(parseIntText(j.lo), parseIntText(j.hi));
      case 'roundShift':
        return sub(j.a, 'a').roundShift(j.k, j.mode);
      default: {
        const a = sub(j.a, 'a');
        const b = sub(j.b, 'b');
        if (j.op === 'shl') return a.shl(b);
        if (j.op === 'shr') return a.shr(b);
        return a[j.op](b);
      }
    }
  } catch (e) {
    if (e instanceof DslError) {
      const where = at.length === 0 ? 'expression' : `config field ${fieldName(at)}`;
      throw new ConfigError(`${where} (op ${j.op}): ${e.message}`);
    }
    throw e;
  }
}

/** The JSON of an expression; `leafIndex` maps each signal it reads to a leaf index. */
export function exprToJson(e: Expr, leafIndex: (signalName: string) => number): ExprJson {
  const n = e.node;
  const to = (x: Expr): ExprJson => exprToJson(x, leafIndex);
  const int = (v: bigint): number | string => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
  switch (n.kind) {
    case 'const':
      return { op: 'const', value: int(n.value), shape: shapeName(e.shape) };
    case 'ref':
      return { op: 'leaf', index: leafIndex(n.signal.name) };
    case 'binary':
      return { op: n.op, a: to(n.a), b: to(n.b) };
    case 'unary':
      return { op: n.op, a: to(n.a) };
    case 'shlConst':
    case 'shrConst':
      return { op: n.kind, a: to(n.a), k: n.k };
    case 'slice':
      return { op: 'slice', a: to(n.a), hi: n.hi, lo: n.lo };
    case 'concat':
      return { op: 'cat', parts: n.parts.map(to) };
    case 'mux':
      return { op: 'mux', sel: to(n.sel), a: to(n.whenTrue), b: to(n.whenFalse) };
    case 'resize':
      return { op: 'resize', a: to(n.a), shape: shapeName(e.shape) };
    case 'clamp':
      return { op: 'clamp', a: to(n.a), lo: int(n.lo), hi: int(n.hi) };
    case 'roundShift':
      return { op: 'roundShift', a: to(n.a), k: n.k, mode: n.mode };
  }
}
