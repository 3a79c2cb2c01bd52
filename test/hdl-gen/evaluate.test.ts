// Pure-TypeScript properties of the DSL over random expression trees (no
// simulator): every evaluated value fits the shape the width rules gave its
// node; every lowered node (what the emitter emits) evaluates like the
// original; the JSON form round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Shape, fits, shapeName } from '../../src/arith/index.ts';
import { type Expr, Module, children, evaluate, evaluateAll, lowerClamp, lowerRoundShift, lowerWideShift } from '../../hdl-gen/dsl/index.ts';
import { exprFromJson, exprToJson } from '../../hdl-gen/generators/index.ts';
import { type Recipe, buildExpr, leafShapesArbitrary, recipeArbitrary } from './fuzz/exprRecipe.ts';
import { leafValues } from './fuzz/fuzzInputs.ts';

const SEED = process.env.PIKEHDL_SEED === undefined ? 7_331 : Number(process.env.PIKEHDL_SEED);
const RUNS = process.env.PIKEHDL_FUZZ === 'long' ? 2000 : 200;

const caseArb: fc.Arbitrary<Case> = fc.record({
  leaves: leafShapesArbitrary(8),
  recipe: recipeArbitrary({ maxDepth: 5 }),
  inputSeed: fc.nat(),
});

interface Case {
  leaves: Shape[];
  recipe: Recipe;
  inputSeed: number;
}

function setUp(c: Case) {
  const m = new Module('t');
  const leaves = c.leaves.map((s, i) => m.input(`leaf${i}`, s));
  const e = buildExpr(c.recipe, (i) => leaves[i]!, leaves.length);
  const envs = leafValues(c.leaves, 12, c.inputSeed).map((v) => new Map(v.map((x, i) => [`leaf${i}`, x])));
  return { e, envs, leaves };
}

function nodes(root: Expr): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<Expr>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    out.push(e);
    children(e.node).forEach(visit);
  };
  visit(root);
  return out;
}

describe('DSL evaluator properties (random trees)', () => {
  it('every node value fits its rule shape', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { e, envs } = setUp(c);
        const all = nodes(e);
        for (const env of envs) {
          const vs = evaluateAll(all, env);
          vs.forEach((v, i) => {
            if (!fits(v, all[i]!.shape)) throw new Error(`${v} does not fit ${shapeName(all[i]!.shape)}`);
          });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('lowered clamp, roundShift and wide shifts evaluate like the originals', () => {
    let lowered = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { e, envs } = setUp(c);
        for (const n of nodes(e)) {
          const k = n.node.kind;
          const low = k === 'clamp' ? lowerClamp(n) : k === 'roundShift' ? lowerRoundShift(n) : lowerWideShift(n);
          if (low === undefined) continue;
          lowered++;
          expect(low.shape).toEqual(n.shape);
          for (const env of envs) expect(evaluate(low, env)).toBe(evaluate(n, env));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(lowered).toBeGreaterThan(0);
  });

  it('JSON round trip keeps shape and value', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { e, envs, leaves } = setUp(c);
        const json = exprToJson(e, (name) => Number(name.replace('leaf', '')));
        const back = exprFromJson(JSON.parse(JSON.stringify(json)), (i) => leaves[i]!);
        expect(back.shape).toEqual(e.shape);
        for (const env of envs) expect(evaluate(back, env)).toBe(evaluate(e, env));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
