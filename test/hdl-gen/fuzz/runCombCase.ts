// One co-simulated fuzz design: expressions over packed leaves, wrapped by
// buildCombExpr, emitted, built with Verilator and driven through sim/ (once
// always-ready, once under seeded backpressure); every expression's field of
// every output is compared with the DSL evaluator, value by value.
import { type Shape, fromBits, shapeName } from '../../../src/arith/index.ts';
import { type Expr, type Signal, evaluateAll } from '../../../hdl-gen/dsl/index.ts';
import { type EmittedDesign, emitDesign } from '../../../hdl-gen/emit/index.ts';
import { buildCombExpr } from '../../../hdl-gen/generators/index.ts';
import { buildSimulator, packValues, readValue, startSimulator } from '../../../sim/index.ts';
import { backpressureFromSeed } from '../../../sim/check/index.ts';
import { leafValues, packLeaves } from './fuzzInputs.ts';

export interface FieldMismatch {
  /** Output expression index. */
  expr: number;
  /** Transaction index. */
  tx: number;
  run: 'always-ready' | 'backpressure';
  expected: bigint;
  actual: bigint;
}

export interface CombCase {
  name: string;
  leaves: readonly Shape[];
  build: (leaf: (i: number) => Signal) => readonly Expr[];
  seed: number;
  transactions: number;
  /** Test hook: replaces an expected value (proves a wrong expectation is caught). */
  corruptExpected?: (expr: number, tx: number, value: bigint) => bigint;
}

export interface CombCaseResult {
  design: EmittedDesign;
  outputs: readonly Expr[];
  leafValues: readonly (readonly bigint[])[];
  /** Values compared: expressions x transactions x runs. */
  compared: number;
  mismatches: FieldMismatch[];
  buildLog: string[];
}

export async function runCombCase(c: CombCase): Promise<CombCaseResult> {
  const { module, outputs, layout } = buildCombExpr(c.name, c.leaves, c.build, {
    generator: 'expr_fuzz',
    config: { seed: c.seed, leaves: c.leaves.map(shapeName) },
  });
  const design = emitDesign(module, { romInit: 'inline' });
  const values = leafValues(c.leaves, c.transactions, c.seed);
  const inputs = packValues(
    values.map((v) => packLeaves(v, c.leaves, layout.leafOffsets)),
    layout.inWidth,
  );
  const expected = values.map((v, tx) => {
    const env = new Map(v.map((x, i) => [`leaf${i}`, x]));
    const got = evaluateAll(outputs, env);
    return c.corruptExpected ? got.map((x, e) => c.corruptExpected!(e, tx, x)) : got;
  });

  const buildLog: string[] = [];
  const built = await buildSimulator(
    { top: design.top, sources: design.sources.map((s) => ({ name: s.name, text: s.text })), inWidth: design.inWidth, outWidth: design.outWidth },
    { log: (l) => buildLog.push(l) },
  );
  const sim = await startSimulator(built, { timeoutMs: 120_000 });
  const n = values.length;
  const runs: { run: FieldMismatch['run']; outputs: Uint8Array; count: number }[] = [];
  try {
    const ready = await sim.run({ inputs, count: n, expectOutputs: n });
    runs.push({ run: 'always-ready', outputs: ready.outputs, count: ready.count });
    const bp = await sim.run({ inputs, count: n, expectOutputs: n, backpressure: backpressureFromSeed(c.seed) });
    runs.push({ run: 'backpressure', outputs: bp.outputs, count: bp.count });
    await sim.close();
  } finally {
    sim.kill();
  }

  let compared = 0;
  const mismatches: FieldMismatch[] = [];
  for (const r of runs) {
    if (r.count !== n) throw new Error(`${c.name}: ${r.run} run returned ${r.count} outputs for ${n} inputs`);
    for (let tx = 0; tx < n; tx++) {
      const word = readValue(r.outputs, tx, layout.outWidth);
      outputs.forEach((e, i) => {
        const bits = BigInt.asUintN(e.shape.width, word >> BigInt(layout.outputOffsets[i]!));
        const actual = fromBits(bits, e.shape);
        const want = expected[tx]![i]!;
        compared++;
        if (actual !== want) mismatches.push({ expr: i, tx, run: r.run, expected: want, actual });
      });
    }
  }
  return { design, outputs, leafValues: values, compared, mismatches, buildLog };
}
