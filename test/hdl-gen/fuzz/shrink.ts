// Failure reporting for the expression fuzzer: writes the failing design and
// a replayable comb_expr config, then "shrinks" without a rebuild per step:
// one more design holds every subexpression of the failing expression as its
// own output, so a single co-simulation names the smallest failing subtree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Shape, shapeName } from '../../../src/arith/index.ts';
import { type Expr, children, formatExpr } from '../../../hdl-gen/dsl/index.ts';
import { type ExprJson, exprFromJson, exprToJson } from '../../../hdl-gen/generators/index.ts';
import { writeDesign } from '../../../hdl-gen/write/index.ts';
import { type CombCaseResult, runCombCase } from './runCombCase.ts';

const leafIndex = (name: string): number => Number(name.replace(/^leaf/, ''));

function countNodes(e: Expr): number {
  return 1 + children(e.node).reduce((n, c) => n + countNodes(c), 0);
}

/** Every distinct subexpression, children before parents. */
function subexpressions(root: Expr): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<Expr>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    children(e.node).forEach(visit);
    if (!e.isConstant) out.push(e);
  };
  visit(root);
  return out;
}

export async function reportFailure(
  r: CombCaseResult,
  ctx: { seed: number; leaves: readonly Shape[]; transactions: number; outDir: string },
): Promise<string> {
  const { dir } = await writeDesign(r.design, ctx.outDir);
  const first = r.mismatches[0]!;
  const failing = [...new Set(r.mismatches.map((m) => m.expr))];
  const e = r.outputs[first.expr]!;
  const json = exprToJson(e, leafIndex);
  const config = { name: 'fuzz_replay', inputs: ctx.leaves.map(shapeName), outputs: [json] };
  const configPath = path.join(dir, `expr${first.expr}.json`);
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const rel = (p: string): string => path.relative(process.cwd(), p);
  const lines = [
    `expression fuzz mismatch: seed ${ctx.seed} (replay with PIKEHDL_SEED=${ctx.seed}), design ${r.design.top}`,
    `${r.mismatches.length} values differ, in expressions ${failing.join(', ')}`,
    `first: expression ${first.expr}, transaction ${first.tx} (${first.run}): expected ${first.expected}, Verilator gave ${first.actual}`,
    `leaf values: ${r.leafValues[first.tx]!.map((v, i) => `leaf${i}=${v}`).join(' ')}`,
    `expression (${shapeName(e.shape)}): ${formatExpr(e)}`,
    `emitted Verilog: ${rel(dir)}; replay config: ${rel(configPath)} (pikehdl gen --unit comb_expr --config ...)`,
  ];
  lines.push(await shrink(e, ctx));
  return lines.join('\n');
}

async function shrink(e: Expr, ctx: { seed: number; leaves: readonly Shape[]; transactions: number }): Promise<string> {
  const subs = subexpressions(e);
  const jsons: ExprJson[] = subs.map((s) => exprToJson(s, leafIndex));
  try {
    const r = await runCombCase({
      name: 'fuzz_shrink',
      leaves: ctx.leaves,
      build: (leaf) => jsons.map((j) => exprFromJson(j, leaf)),
      seed: ctx.seed,
      transactions: ctx.transactions,
    });
    const bad = [...new Set(r.mismatches.map((m) => m.expr))];
    if (bad.length === 0) return 'shrink: every subexpression passes on its own (the failure needs the whole design)';
    const smallest = bad.map((i) => subs[i]!).sort((a, b) => countNodes(a) - countNodes(b))[0]!;
    const m = r.mismatches.find((x) => subs[x.expr] === smallest)!;
    return (
      `shrink: smallest failing subexpression (${countNodes(smallest)} nodes, ${shapeName(smallest.shape)}): ${formatExpr(smallest)}\n` +
      `  at ${r.leafValues[m.tx]!.map((v, i) => `leaf${i}=${v}`).join(' ')}: expected ${m.expected}, Verilator gave ${m.actual}\n` +
      `  JSON: ${JSON.stringify(exprToJson(smallest, leafIndex))}`
    );
  } catch (err) {
    return `shrink: could not run the subexpression design: ${(err as Error).message}`;
  }
}
