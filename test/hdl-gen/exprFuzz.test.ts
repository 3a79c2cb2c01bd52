// The expression-fuzz property: random DSL expression trees (leaf widths
// 1..64, both signednesses, every operator, comparisons, shifts, slices,
// concatenation, mux, resize/saturate/clamp/relu, roundShift in every mode)
// are emitted, built with Verilator and driven through sim/ on random inputs
// and every leaf's corners; the DSL evaluator (hdl-gen/dsl/evaluate.ts, built
// on src/arith) must agree bit for bit on every value.
//
// Many expressions share one design (one Verilator build each). Default: a
// few designs; PIKEHDL_FUZZ=long: thousands of expressions. PIKEHDL_SEED
// replaces the fixed seed. A mismatch prints the seed, the expression, the
// emitted Verilog path, a replayable config, and the smallest failing
// subexpression.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BINARY_OPS, ROUNDING_MODES, UNARY_OPS } from '../../src/arith/index.ts';
import { type Expr, Module, children } from '../../hdl-gen/dsl/index.ts';
import { buildExpr, leafShapesArbitrary, recipeArbitrary } from './fuzz/exprRecipe.ts';
import { reportFailure } from './fuzz/shrink.ts';
import { runCombCase } from './fuzz/runCombCase.ts';

const LONG = process.env.PIKEHDL_FUZZ === 'long';
const SEED = process.env.PIKEHDL_SEED === undefined ? 20_240_401 : Number(process.env.PIKEHDL_SEED);
const DESIGNS = LONG ? 30 : 4;
const EXPRESSIONS = LONG ? 100 : 60;
const TRANSACTIONS = LONG ? 1500 : 400;
const LEAVES = 16;

if (!Number.isSafeInteger(SEED)) throw new Error(`PIKEHDL_SEED=${process.env.PIKEHDL_SEED} must be an integer`);

const designSpec = fc.record({
  leaves: leafShapesArbitrary(LEAVES),
  recipes: fc.array(recipeArbitrary({ maxDepth: 5 }), { minLength: EXPRESSIONS, maxLength: EXPRESSIONS }),
});

describe(`expression fuzz: DSL evaluator vs Verilator (seed ${SEED}${LONG ? ', long' : ''})`, () => {
  let compared = 0;
  let expressions = 0;

  for (let d = 0; d < DESIGNS; d++) {
    const seed = SEED + d;
    it(`design ${d}: ${EXPRESSIONS} expressions x ${TRANSACTIONS} inputs agree bit for bit (seed ${seed})`, async () => {
      const [spec] = fc.sample(designSpec, { seed, numRuns: 1 });
      const { leaves, recipes } = spec!;
      const r = await runCombCase({
        name: `fuzz_${d}`,
        leaves,
        build: (leaf) => recipes.map((x) => buildExpr(x, leaf, leaves.length)),
        seed,
        transactions: TRANSACTIONS,
      });
      if (r.mismatches.length > 0) {
        const report = await reportFailure(r, {
          seed,
          leaves,
          transactions: TRANSACTIONS,
          outDir: path.join('build', 'fuzz', `fuzz_${d}-seed${seed}`),
        });
        throw new Error(report);
      }
      expect(r.compared).toBe(EXPRESSIONS * TRANSACTIONS * 2);
      compared += r.compared;
      expressions += r.outputs.length;
    });
  }

  it('the generated expressions cover every operator and rounding mode', () => {
    const seen = new Map<string, number>();
    const note = (k: string): void => {
      seen.set(k, (seen.get(k) ?? 0) + 1);
    };
    for (let d = 0; d < DESIGNS; d++) {
      const [spec] = fc.sample(designSpec, { seed: SEED + d, numRuns: 1 });
      const m = new Module('coverage');
      const leaves = spec!.leaves.map((s, i) => m.input(`leaf${i}`, s));
      const visited = new Set<Expr>();
      const visit = (e: Expr): void => {
        if (visited.has(e)) return;
        visited.add(e);
        const n = e.node;
        note(n.kind === 'binary' || n.kind === 'unary' ? n.op : n.kind === 'roundShift' ? `roundShift ${n.mode}` : n.kind);
        if (n.kind === 'binary' && n.op === 'shr' && n.b.shape.width > 64) note('shr by a >64-bit amount');
        children(n).forEach(visit);
      };
      for (const r of spec!.recipes) visit(buildExpr(r, (i) => leaves[i]!, leaves.length));
    }
    const required = [
      ...BINARY_OPS,
      ...UNARY_OPS,
      ...ROUNDING_MODES.map((m) => `roundShift ${m}`),
      'shlConst', 'shrConst', 'slice', 'concat', 'mux', 'resize', 'clamp', 'const', 'ref',
    ];
    process.stdout.write(`expression fuzz coverage: ${[...seen].sort().map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    expect(required.filter((k) => !seen.has(k))).toEqual([]);
  });

  it('a wrong expectation is caught (the comparison can fail)', async () => {
    // Design 0 again (a cache hit), with one expected value altered.
    const [spec] = fc.sample(designSpec, { seed: SEED, numRuns: 1 });
    const { leaves, recipes } = spec!;
    const r = await runCombCase({
      name: 'fuzz_0',
      leaves,
      build: (leaf) => recipes.map((x) => buildExpr(x, leaf, leaves.length)),
      seed: SEED,
      transactions: TRANSACTIONS,
      corruptExpected: (e, tx, v) => (e === 5 && tx === 3 ? v ^ 1n : v),
    });
    expect(r.mismatches.map((m) => [m.expr, m.tx, m.run])).toEqual([
      [5, 3, 'always-ready'],
      [5, 3, 'backpressure'],
    ]);
  });

  it('compared a positive number of values', () => {
    process.stdout.write(`expression fuzz: seed ${SEED}, ${DESIGNS} designs, ${expressions} expressions, ${compared} values compared\n`);
    expect(compared).toBeGreaterThan(0);
  });
});
