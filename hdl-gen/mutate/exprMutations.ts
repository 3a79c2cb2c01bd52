/**
 * The mutations of one expression node: given the node and its children
 * already rebuilt in the mutated module, the alternative expressions a
 * single-change mutant would compute there. Each alternative is built with
 * the DSL's own builders (so it is as well-formed as any generated design)
 * and is wrapped back to the node's shape by the caller.
 */
import { ROUNDING_MODES, shape } from '../../src/arith/index.ts';
import type { BinaryOp } from '../../src/arith/index.ts';
import { type Expr, constant, mux } from '../dsl/expr.ts';
import { formatExpr } from '../dsl/formatExpr.ts';
import type { MutationOperator } from './mutationTypes.ts';

export interface Alternative {
  readonly operator: MutationOperator;
  /** What changes, e.g. "add -> sub". */
  readonly change: string;
  /** Builds the mutated value; may throw a DslError (then the alternative is skipped). */
  readonly build: () => Expr;
  /** const-off-by-one: the new value. */
  readonly target?: bigint;
}

/** The swaps of the operator-swap mutation (a single, plausible slip each). */
const SWAPS: Partial<Record<BinaryOp, BinaryOp>> = {
  add: 'sub',
  sub: 'add',
  and: 'or',
  or: 'and',
  xor: 'or',
  eq: 'ne',
  ne: 'eq',
  lt: 'le',
  le: 'lt',
  gt: 'ge',
  ge: 'gt',
};

const COMPARES: ReadonlySet<BinaryOp> = new Set(['lt', 'le', 'gt', 'ge']);

export function applyBinary(op: BinaryOp, a: Expr, b: Expr): Expr {
  switch (op) {
    case 'add': return a.add(b);
    case 'sub': return a.sub(b);
    case 'mul': return a.mul(b);
    case 'and': return a.and(b);
    case 'or': return a.or(b);
    case 'xor': return a.xor(b);
    case 'eq': return a.eq(b);
    case 'ne': return a.ne(b);
    case 'lt': return a.lt(b);
    case 'le': return a.le(b);
    case 'gt': return a.gt(b);
    case 'ge': return a.ge(b);
    case 'shl': return a.shl(b);
    case 'shr': return a.shr(b);
  }
}

/**
 * Alternatives for `orig` whose children were rebuilt as `kids` (same order as
 * dsl children()). `rebuilt` is the node itself rebuilt without mutation.
 */
export function alternativesOf(orig: Expr, kids: readonly Expr[], rebuilt: Expr): Alternative[] {
  const n = orig.node;
  const out: Alternative[] = [];
  const k = (i: number): Expr => kids[i]!;
  switch (n.kind) {
    case 'const': {
      const v = n.value;
      // Constants inside a wide concatenation or a bus are layout, not arithmetic: skip buses.
      if (orig.shape.width > 64) break;
      const up = v + 1n;
      const down = v - 1n;
      const fitsUp = tryBuild(() => constant(up, orig.shape)) !== undefined;
      const alt = fitsUp ? up : down;
      out.push({ operator: 'const-off-by-one', change: `constant ${v} -> ${alt}`, build: () => constant(alt, orig.shape), target: alt });
      break;
    }
    case 'binary': {
      const swap = SWAPS[n.op];
      if (swap !== undefined) out.push({ operator: 'op-swap', change: `${n.op} -> ${swap}`, build: () => applyBinary(swap, k(0), k(1)) });
      if (COMPARES.has(n.op) && (n.a.shape.signed || n.b.shape.signed)) {
        out.push({
          operator: 'compare-signedness',
          change: `signed ${n.op} -> unsigned ${n.op}`,
          build: () => applyBinary(n.op, k(0).asUnsigned(), k(1).asUnsigned()),
        });
      }
      if ((n.op === 'add' || n.op === 'sub' || n.op === 'mul') && orig.shape.width >= 2) {
        out.push({ operator: 'width-truncate', change: `${n.op} result loses its top bit`, build: () => rebuilt.truncate(orig.shape.width - 1).resize(orig.shape) });
      }
      break;
    }
    case 'unary':
      if (n.op === 'not') out.push({ operator: 'op-swap', change: 'not -> buffer', build: () => k(0) });
      break;
    case 'shlConst':
    case 'shrConst': {
      const by = (d: number): Alternative => ({
        operator: 'slice-shift',
        change: `${n.kind} by ${n.k} -> by ${n.k + d}`,
        build: () => (n.kind === 'shlConst' ? k(0).shl(n.k + d) : k(0).shr(n.k + d)),
      });
      out.push(by(1));
      if (n.k > 1) out.push(by(-1));
      break;
    }
    case 'slice': {
      const w = n.a.shape.width;
      if (n.hi + 1 < w) out.push({ operator: 'slice-shift', change: `[${n.hi}:${n.lo}] -> [${n.hi + 1}:${n.lo + 1}]`, build: () => k(0).slice(n.hi + 1, n.lo + 1) });
      else if (n.lo >= 1) out.push({ operator: 'slice-shift', change: `[${n.hi}:${n.lo}] -> [${n.hi - 1}:${n.lo - 1}]`, build: () => k(0).slice(n.hi - 1, n.lo - 1) });
      break;
    }
    case 'mux':
      out.push({ operator: 'mux-swap', change: 'arms swapped', build: () => mux(k(0), k(2), k(1)) });
      break;
    case 'resize':
      // A narrowing resize is a width decision of the design: narrow it by one more bit.
      if (orig.shape.width < n.a.shape.width && orig.shape.width >= 2) {
        out.push({ operator: 'width-truncate', change: `resize to ${orig.shape.width} -> ${orig.shape.width - 1} bits`, build: () => k(0).resize(shape(orig.shape.width - 1, orig.shape.signed)).resize(orig.shape) });
      }
      break;
    case 'clamp': {
      const { lo, hi } = n;
      if (lo < hi) {
        out.push({ operator: 'saturation-moved', change: `upper bound ${hi} -> ${hi - 1n}`, build: () => k(0).clamp(lo, hi - 1n) });
        out.push({ operator: 'saturation-moved', change: `lower bound ${lo} -> ${lo + 1n}`, build: () => k(0).clamp(lo + 1n, hi) });
      }
      out.push({ operator: 'saturation-dropped', change: `clamp to [${lo}, ${hi}] -> wrap`, build: () => k(0).resize(orig.shape) });
      break;
    }
    case 'roundShift': {
      for (const mode of ROUNDING_MODES) {
        if (mode !== n.mode) out.push({ operator: 'rounding-mode', change: `rounding ${n.mode} -> ${mode}`, build: () => k(0).roundShift(n.k, mode) });
      }
      out.push({ operator: 'slice-shift', change: `roundShift by ${n.k} -> ${n.k + 1}`, build: () => k(0).roundShift(n.k + 1, n.mode) });
      break;
    }
    case 'ref':
    case 'concat':
      break;
  }
  return out;
}

/** Stuck-at alternatives of a one-bit control value (a valid, ready, load or enable). */
export function stuckAlternatives(operator: 'control-stuck' | 'enable-stuck'): Alternative[] {
  return [0, 1].map((v) => ({ operator, change: `stuck at ${v}`, build: () => constant(v, shape(1, false)) }));
}

/** Short rendering of a site for descriptions (long trees are cut). */
export function siteText(e: Expr): string {
  const t = formatExpr(e);
  return t.length > 90 ? `${t.slice(0, 87)}...` : t;
}

function tryBuild(f: () => Expr): Expr | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

