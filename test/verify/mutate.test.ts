// Mutation testing, equivalence and formal checks, at CI size: one unit's
// mutants (one Verilator build, reused for the weakened-stimulus run), two
// tiny equivalence proofs, the stream-buffer formal checks, and the CLI's bad
// input. Each check is shown to fail on a fixture built to fail it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Module, constant, unsigned } from '../../hdl-gen/dsl/index.ts';
import { skidBuffer } from '../../hdl-gen/generators/skidBuffer.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { mutantSchemata, selectMutants } from '../../hdl-gen/mutate/index.ts';
import { findUnitBench } from '../../sim/units/index.ts';
import { proveEquivalent } from '../../src/verify/equivalence.ts';
import { checkStreamBuffer } from '../../src/verify/formalStream.ts';
import { SMALL_FUSED, runFormalChecks } from '../../src/verify/formalChecks.ts';
import { checkFusedEqualsUnfused } from '../../src/verify/formalFused.ts';
import { mutateUnit } from '../../src/verify/mutateUnit.ts';
import { tally } from '../../src/verify/mutationReport.ts';
import { schemataDesign } from '../../src/verify/schemataDesign.ts';

const UNIT = 'quant_norm';
const bench = findUnitBench(UNIT)!;
const config = findGenerator(UNIT)!.defaultConfig;

describe('mutation testing (quant_norm, 40 mutants)', () => {
  it('kills every mutant under the default properties, and lets some survive a weakened stimulus', async () => {
    const full = await mutateUnit(UNIT, bench.prepare(config, bench.defaultCount, 1), { budget: 40, seed: 1 });
    const t = tally(full.mutants);
    expect(t.run).toBe(40);
    expect(t.killed).toBeGreaterThan(0);
    expect(t.timeout).toBeGreaterThan(0); // stuck handshakes hang: reported as killed by timeout, not a crash
    expect(t.survived, full.mutants.filter((m) => m.outcome === 'survived').map((m) => m.description).join('\n')).toBe(0);
    // The same design (same build) under a 2-transaction stimulus: weaker properties, survivors appear.
    const weak = await mutateUnit(UNIT, bench.prepare(config, 2, 1), { budget: 40, seed: 1 });
    expect(weak.cacheHit).toBe(true);
    expect(tally(weak.mutants).survived).toBeGreaterThan(0);
  });

  it('numbers sites stably and chooses a budget spread over the operators', () => {
    const m = bench.prepare(config, 1, 1).module;
    const a = mutantSchemata(m, { select: new Set() }).mutations;
    const b = mutantSchemata(bench.prepare(config, 1, 1).module).mutations;
    expect(b.map((x) => x.description)).toEqual(a.map((x) => x.description));
    const chosen = selectMutants(a, 12, 7);
    expect(chosen).toEqual(selectMutants(a, 12, 7));
    expect(new Set(chosen.map((id) => a[id - 1]!.operator)).size).toBeGreaterThanOrEqual(5);
    expect(() => selectMutants(a, 0, 1)).toThrow(/budget 0 must be a positive integer/);
  });
});

/** A registered stream stage out = (in + 0) wrapped: "add -> sub" is equivalent, "constant 0 -> 1" is not. */
function plusZero(): Module {
  const m = new Module('plus_zero');
  const inp = m.streamIn('in', unsigned(4));
  const out = m.streamOut('out', unsigned(4));
  const q = m.reg('q', unsigned(4), { reset: 0 });
  const v = m.reg('v', unsigned(1), { reset: 0 });
  m.update(q, inp.data.add(0).truncate(4).asUnsigned());
  m.update(v, inp.valid);
  m.assign(inp.ready, constant(1, unsigned(1)));
  m.markUnused(out.ready);
  m.assign(out.valid, v);
  m.assign(out.data, q);
  return m;
}

describe('equivalence of survivors (Yosys)', () => {
  it('proves an equivalent mutant and refutes a different one', async () => {
    const d = schemataDesign(plusZero(), new Set());
    const id = (change: RegExp): number => d.mutations.find((x) => change.test(x.description))!.id;
    const all = schemataDesign(plusZero(), new Set(d.mutations.map((x) => x.id)));
    const input = { coreTop: all.coreTop, coreSources: all.coreSources, inWidth: 4, outWidth: 4 };
    expect((await proveEquivalent(input, id(/add -> sub/))).kind).toBe('equivalent');
    expect((await proveEquivalent(input, id(/constant 0 -> 1/))).kind).toBe('different');
  });
});

describe('formal checks (Yosys sat)', () => {
  it('proves the skid buffer and fused == unfused, bounds the FIFO, and catches a broken skid buffer and a mismatched fused rounding', async () => {
    const [skid, fifo, fused] = await runFormalChecks({ fifoSteps: 12 });
    expect(skid!.verdict.kind).toBe('proven');
    expect(['proven', 'bounded']).toContain(fifo!.verdict.kind);
    expect(fused!.verdict.kind).toBe('proven');
    // The fused unit built with another rounding than the pair must be told apart.
    expect((await checkFusedEqualsUnfused({ ...SMALL_FUSED, fusedRounding: 'rnu' }, 10)).verdict.kind).toBe('failed');
    // A skid buffer whose output mux arms are swapped (a mutant, built alone): the monitor must catch it.
    const base = skidBuffer({ name: 'skid_buffer', width: 4 });
    const swap = mutantSchemata(skidBuffer({ name: 'skid_buffer', width: 4 }), { select: new Set() }).mutations.find((m) => m.operator === 'mux-swap')!;
    const broken = mutantSchemata(base, { only: swap.id }).top;
    expect((await checkStreamBuffer('broken skid', broken, 2, 8)).verdict.kind).toBe('failed');
  });
});

const run = promisify(execFile);
const CLI = ['--import', 'tsx', path.resolve('src/cli/main.ts')];

describe('pikehdl mutate bad input', () => {
  const bad = async (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stderr: string }> => {
    try {
      await run(process.execPath, [...CLI, 'mutate', ...args], { env });
      return { code: 0, stderr: '' };
    } catch (e) {
      const err = e as { code: number; stderr: string };
      return { code: err.code, stderr: err.stderr };
    }
  };
  it('unknown unit, budget 0 and a missing Yosys: one line, exit 2', async () => {
    const u = await bad(['--unit', 'nope']);
    expect(u.code).toBe(2);
    expect(u.stderr.trim().split('\n')).toHaveLength(1);
    expect(u.stderr).toMatch(/--unit "nope" is unknown/);
    const b = await bad(['--unit', UNIT, '--budget', '0']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--budget "0" is invalid/);
    const a = await bad(['--unit', 'accelerator', '--set', 'lanes=8']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe('pikehdl: --config and --set need one unit, not --unit accelerator');
    const empty = mkdtempSync(path.join(tmpdir(), 'pikehdl-nopath-'));
    const y = await bad(['--unit', UNIT], { ...process.env, PATH: empty });
    expect(y.code).toBe(2);
    expect(y.stderr.trim()).toBe('pikehdl: yosys not found on PATH; install it with apt-get install yosys (see README)');
    // Yosys without its ABC (the PDR step's prover): refused the same way, before any build.
    const onlyYosys = mkdtempSync(path.join(tmpdir(), 'pikehdl-noabc-'));
    symlinkSync(execFileSync('which', ['yosys'], { encoding: 'utf8' }).trim(), path.join(onlyYosys, 'yosys'));
    const n = await bad(['--unit', UNIT], { ...process.env, PATH: onlyYosys });
    expect(n.code).toBe(2);
    expect(n.stderr.trim()).toBe('pikehdl: yosys-abc not found on PATH; it ships with Yosys: install it with apt-get install yosys (see README)');
    for (const d of [empty, onlyYosys]) rmSync(d, { recursive: true, force: true });
  });
});
