// Random expression trees for the fuzzers. fast-check generates a "recipe"
// (operators plus raw numbers); buildExpr turns any recipe into a valid DSL
// expression by reading the numbers modulo what the operands allow (slice
// bounds within the width, shift amounts unsigned and short, ...). Every
// recipe is buildable, so shrinking never leaves the valid space.
import fc from 'fast-check';
import {
  BINARY_OPS,
  ROUNDING_MODES,
  type BinaryOp,
  type RoundingMode,
  type Shape,
  maxOf,
  minOf,
  shape,
  wrap,
} from '../../../src/arith/index.ts';
import { DslError, type Expr, cat, constant, mux } from '../../../hdl-gen/dsl/index.ts';

export type Recipe =
  | { t: 'leaf'; i: number }
  | { t: 'const'; v: bigint; w: number; s: boolean }
  | { t: 'bin'; op: BinaryOp; a: Recipe; b: Recipe }
  | { t: 'un'; op: 'neg' | 'not' | 'relu'; a: Recipe }
  | { t: 'shc'; left: boolean; k: number; a: Recipe }
  | { t: 'slice'; x: number; y: number; a: Recipe }
  | { t: 'cat'; parts: Recipe[] }
  | { t: 'mux'; sel: Recipe; a: Recipe; b: Recipe }
  | { t: 'resize' | 'sat'; w: number; s: boolean; a: Recipe }
  | { t: 'clamp'; x: number; y: number; a: Recipe }
  | { t: 'round'; k: number; mode: RoundingMode; a: Recipe };

export interface RecipeOptions {
  /** Nesting depth limit of operator nodes. */
  maxDepth: number;
}

export function recipeArbitrary(opts: RecipeOptions): fc.Arbitrary<Recipe> {
  const oneof = { maxDepth: opts.maxDepth, depthIdentifier: 'recipe', withCrossShrink: true } as const;
  const { recipe } = fc.letrec<{ recipe: Recipe }>((tie) => {
    const sub = tie('recipe');
    return {
      recipe: fc.oneof(
        oneof,
        // Leaves first: fast-check shrinks toward the first arbitrary.
        { arbitrary: fc.record({ t: fc.constant('leaf' as const), i: fc.nat(1000) }), weight: 4 },
        {
          arbitrary: fc.record({
            t: fc.constant('const' as const),
            v: fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }),
            w: fc.integer({ min: 1, max: 64 }),
            s: fc.boolean(),
          }),
          weight: 1,
        },
        { arbitrary: fc.record({ t: fc.constant('bin' as const), op: fc.constantFrom(...BINARY_OPS), a: sub, b: sub }), weight: 6 },
        { arbitrary: fc.record({ t: fc.constant('un' as const), op: fc.constantFrom('neg' as const, 'not' as const, 'relu' as const), a: sub }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('shc' as const), left: fc.boolean(), k: fc.nat(70), a: sub }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('slice' as const), x: fc.nat(1000), y: fc.nat(1000), a: sub }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('cat' as const), parts: fc.array(sub, { minLength: 1, maxLength: 3 }) }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('mux' as const), sel: sub, a: sub, b: sub }), weight: 1 },
        {
          arbitrary: fc.record({ t: fc.constantFrom('resize' as const, 'sat' as const), w: fc.integer({ min: 1, max: 80 }), s: fc.boolean(), a: sub }),
          weight: 2,
        },
        { arbitrary: fc.record({ t: fc.constant('clamp' as const), x: fc.nat(1000), y: fc.nat(1000), a: sub }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('round' as const), k: fc.nat(1000), mode: fc.constantFrom(...ROUNDING_MODES), a: sub }), weight: 3 },
      ),
    };
  });
  return recipe;
}

/** Leaf shapes of a fuzz design: widths 1..64, both signednesses, the edges always present. */
export function leafShapesArbitrary(count: number): fc.Arbitrary<Shape[]> {
  const edges = [shape(1, false), shape(1, true), shape(64, false), shape(64, true)];
  return fc
    .array(fc.record({ w: fc.integer({ min: 1, max: 64 }), s: fc.boolean() }), { minLength: count - edges.length, maxLength: count - edges.length })
    .map((xs) => [...edges, ...xs.map((x) => shape(x.w, x.s))]);
}

/** Tries an operator; a width past src/arith's cap falls back to `fallback`. */
function orElse(f: () => Expr, fallback: Expr): Expr {
  try {
    return f();
  } catch (e) {
    if (e instanceof DslError) return fallback;
    throw e;
  }
}

/** An unsigned shift amount of at most `bits` bits made from any expression. */
function amount(b: Expr, bits: number): Expr {
  const u = b.asUnsigned();
  return u.shape.width > bits ? u.truncate(bits) : u;
}

/** A value in [min(a) - 20, max(a) + 20] picked by f in [0, 1000]. */
function pick(a: Expr, f: number): bigint {
  const lo = minOf(a.shape) - 20n;
  const span = maxOf(a.shape) + 20n - lo;
  return lo + (span * BigInt(f)) / 1000n;
}

export function buildExpr(r: Recipe, leaf: (i: number) => Expr, leafCount: number): Expr {
  const b = (x: Recipe): Expr => buildExpr(x, leaf, leafCount);
  switch (r.t) {
    case 'leaf':
      return leaf(r.i % leafCount);
    case 'const': {
      const s = shape(r.w, r.s);
      return constant(wrap(r.v, s), s);
    }
    case 'bin': {
      const a = b(r.a);
      const y = b(r.b);
      if (r.op === 'shl') return orElse(() => a.shl(amount(y, 4)), a);
      if (r.op === 'shr') return a.shr(y.asUnsigned());
      const op = r.op;
      return orElse(() => a[op](y), a);
    }
    case 'un': {
      const a = b(r.a);
      return orElse(() => (r.op === 'neg' ? a.neg() : r.op === 'not' ? a.not() : a.relu()), a);
    }
    case 'shc': {
      const a = b(r.a);
      return orElse(() => (r.left ? a.shl(r.k % 40) : a.shr(r.k)), a);
    }
    case 'slice': {
      const a = b(r.a);
      const w = a.shape.width;
      const lo = r.x % w;
      return a.slice(lo + (r.y % (w - lo)), lo);
    }
    case 'cat': {
      const parts: Expr[] = [];
      let width = 0;
      for (const p of r.parts) {
        const e = b(p);
        if (width + e.shape.width > 256) break;
        parts.push(e);
        width += e.shape.width;
      }
      return parts.length === 0 ? b(r.parts[0]!) : cat(...parts);
    }
    case 'mux': {
      const s = b(r.sel);
      const sel = s.shape.width > 1 ? s.bit(0) : s.asUnsigned();
      return orElse(() => mux(sel, b(r.a), b(r.b)), b(r.a));
    }
    case 'resize':
      return b(r.a).resize(shape(r.w, r.s));
    case 'sat':
      return b(r.a).saturate(shape(r.w, r.s));
    case 'clamp': {
      const a = b(r.a);
      const x = pick(a, r.x);
      const y = pick(a, r.y);
      return orElse(() => a.clamp(x < y ? x : y, x < y ? y : x), a);
    }
    case 'round': {
      const a = b(r.a);
      return a.roundShift(r.k % (a.shape.width + 4), r.mode);
    }
  }
}
