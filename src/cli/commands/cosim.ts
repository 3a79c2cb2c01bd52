// `pikehdl cosim`: co-simulate a registered unit against the reference model on demand.
//   pikehdl cosim --unit <name> [--config file.json] [--set key=value ...] [--transactions N]
//                 [--seed S] [--backpressure] [--icarus N] [--vcd always|on-failure]
//   pikehdl cosim --unit all      every unit with a bench (sim/units/) at its default config
// The stimulus and the expectation are the unit tests' own (sim/units/<unit>.ts);
// the run is sim/check's checkUnit: Verilator always ready (+ two random-backpressure
// runs with --backpressure) and an Icarus prefix, every output compared. A
// mismatch exits 1 with the seed, the first mismatches and the VCD; a bad
// option or config is a CliError (exit 2). Everything is a function of the seed.
import { createHash } from 'node:crypto';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/index.ts';
import { ConfigError, REGISTRY, findGenerator } from '../../../hdl-gen/generators/index.ts';
import { CoSimMismatchError, SimError, buildSimulator, packValues, rerunWithTrace } from '../../../sim/index.ts';
import { checkUnit, toSimDesign } from '../../../sim/check/index.ts';
import type { CheckUnitResult } from '../../../sim/check/index.ts';
import { buildRoot } from '../../../sim/paths.ts';
import { UNIT_BENCHES, findUnitBench } from '../../../sim/units/index.ts';
import type { PreparedCase, UnitBench } from '../../../sim/units/index.ts';
import { DEFAULT_COST_TABLE, tallyFromInventory } from '../../cost/index.ts';
import { CliError, VerificationFailure } from '../cliError.ts';
import { ShapeError } from '../../arith/index.ts';
import { errStream, out } from '../io.ts';
import { collect, rawUnitConfig } from '../unitConfig.ts';
import { runCosimModel } from './cosimModel.ts';
import type { CosimAxiOptions } from './cosimAxi.ts';
import { requireTool } from '../../../sim/requireTool.ts';
import { LIMIT_DOC } from '../../model/limitDoc.ts';

/**
 * Stimulus and expected values one cosim run may hold (inputs + expected
 * outputs, as bigint; with the simulator's outputs and the packed frames
 * about 100 bytes each): checked before the stimulus is generated.
 */
export const COSIM_VALUE_LIMIT = 4 * 1024 * 1024;
/** Most transactions --transactions accepts before the value limit is even computed. */
export const COSIM_MAX_TRANSACTIONS = 10_000_000;

interface CosimArgs {
  unit: string;
  config?: string;
  set: string[];
  transactions?: string;
  seed: string;
  backpressure?: boolean;
  icarus: string;
  vcd: string;
}

/** Where output goes: the summary to `out`, progress to `err` (a bar only when `tty`). */
export interface CosimIo {
  out(line: string): void;
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Test-only hooks: a perturbed expectation proves the failure path end to end. */
export interface CosimHooks {
  perturbExpected?(unit: string, expected: readonly bigint[]): bigint[];
}

export function registerCosim(program: Command): void {
  program
    .command('cosim')
    .description('co-simulate a registered unit against the reference model (Verilator + Icarus, bit-exact) and print compared outputs, cycles and ACEv2')
    .option('--unit <name>', `unit to run, or all (every unit's default config): ${UNIT_BENCHES.map((b) => b.name).join(', ')}`)
    .option('--model <file|builtin>', 'co-simulate the network accelerator for an integer network file or a built-in (mnist_tiny) against runInt')
    .option('--images <n>', 'with --model: inferences (held-out digits for MNIST networks, else seeded random inputs)', '100')
    .option('--start <i>', 'with --model: index of the first held-out digit', '0')
    .option('--mem-latency <cycles>', 'with --model and --set memory=axi: memory read latency, AR handshake to first R beat (default 1)')
    .option('--mem-bandwidth <bytes>', 'with --model and --set memory=axi: memory bandwidth in bytes per cycle, fractional allowed (default 16)')
    .option('--mem-outstanding <n>', 'with --model and --set memory=axi: read bursts the memory accepts at once (default 4)')
    .option('--mem-stall <pct>', 'with --model and --set memory=axi: percent of cycles the memory withholds READY/VALID, seeded by --seed (default 0)')
    .option('--accel-build <kind>', 'with --model: rom (the network in ROMs) or loadable (memories written by a load frame); default loadable for the synthetic built-ins, rom otherwise')
    .option('--config <file>', 'JSON configuration (validated by the unit schema)')
    .option('--set <key=value>', 'override one config field (value parsed as JSON, else taken as a string); repeatable', collect, [])
    .option('--transactions <n>', "stimulus size, in the unit's own terms (default: the unit's; see the summary); at most 4,194,304 stimulus + expected values in all (docs/limits.md)")
    .option('--seed <s>', 'seed of the stimulus and the backpressure (integer 0..2^31-1)', '1')
    .option('--backpressure', 'also run every transaction under two random-backpressure patterns derived from the seed')
    .option('--icarus <n>', 'expected outputs to cross-check in Icarus (rounded up to whole transactions)', '32')
    .option('--vcd <when>', 'write a VCD: on-failure or always', 'on-failure')
    .action(async (args: Omit<CosimArgs, 'unit'> & CosimAxiOptions & { unit?: string; model?: string; images: string; start: string; accelBuild?: string }) => {
      const io = { out: (line: string) => out(`${line}\n`), err: errStream() };
      if (args.model !== undefined && args.unit !== undefined) throw new CliError('give --unit or --model, not both');
      if (args.model === undefined && args.unit === undefined) throw new CliError('give --unit <name> (a unit) or --model <file|builtin> (the network accelerator)');
      const ok = args.model !== undefined ? await runCosimModel({ ...args, model: args.model, ...(args.accelBuild !== undefined ? { build: args.accelBuild } : {}) }, io) : await runCosim({ ...args, unit: args.unit! }, io);
      // Details are printed already; exit 1 means "the design failed verification".
      if (!ok) throw new VerificationFailure('co-simulation failed');
    });
}


interface Plan {
  benches: UnitBench[];
  raw: (b: UnitBench) => unknown;
  count?: number;
  seed: number;
  backpressure: boolean;
  icarus: number;
  vcd: 'always' | 'on-failure';
  /** The options to replay a run with, minus --unit. */
  replay: string;
}

function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} ${JSON.stringify(text)} is invalid: must be an integer from ${min} to ${max}`);
  }
  return n;
}

function plan(args: CosimArgs): Plan {
  const seed = integerOption('seed', args.seed, 0, 2 ** 31 - 1);
  const icarus = integerOption('icarus', args.icarus, 1, 1_000_000);
  const count = args.transactions === undefined ? undefined : integerOption('transactions', args.transactions, 1, COSIM_MAX_TRANSACTIONS);
  if (args.vcd !== 'always' && args.vcd !== 'on-failure') throw new CliError(`--vcd ${JSON.stringify(args.vcd)} is invalid: use always or on-failure`);
  const replay = [
    ...(args.config !== undefined ? [`--config ${args.config}`] : []),
    ...args.set.map((s) => `--set '${s}'`),
    ...(count !== undefined ? [`--transactions ${count}`] : []),
    `--seed ${seed}`,
    ...(args.backpressure ? ['--backpressure'] : []),
    `--icarus ${icarus}`,
  ].join(' ');
  const common = { count, seed, backpressure: args.backpressure === true, icarus, vcd: args.vcd, replay } as const;
  if (args.unit === 'all') {
    if (args.config !== undefined || args.set.length > 0) throw new CliError('--config and --set need one unit, not --unit all');
    return { ...common, benches: [...UNIT_BENCHES], raw: (b) => findGenerator(b.name)!.defaultConfig };
  }
  const bench = findUnitBench(args.unit);
  if (bench === undefined) {
    const registered = findGenerator(args.unit) !== undefined;
    throw new CliError(
      `--unit ${JSON.stringify(args.unit)} is ${registered ? 'registered but has no stimulus and reference in sim/units/' : 'unknown'}: ` +
        `units that co-simulate are ${UNIT_BENCHES.map((b) => b.name).join(', ')} (or all)`,
    );
  }
  const gen = findGenerator(bench.name)!;
  const raw = rawUnitConfig(gen.defaultConfig, args.config, args.set);
  return { ...common, benches: [bench], raw: () => raw };
}

/** Runs the plan; true when every unit passed. Throws CliError on a user error, before any simulation. */
export async function runCosim(args: CosimArgs, io: CosimIo, hooks: CosimHooks = {}): Promise<boolean> {
  const p = plan(args);
  // Prepare every case first: a bad config stops the command before anything is built.
  const cases = p.benches.map((b) => {
    try {
      const count = p.count ?? b.defaultCount;
      // What the stimulus will hold, from one transaction, before generating them all.
      const one = b.prepare(p.raw(b), 1, p.seed);
      const values = count * (one.inputs.length + one.expected.length);
      if (values > COSIM_VALUE_LIMIT) {
        throw new CliError(
          `--transactions ${count}: unit ${b.name} would hold ${values.toLocaleString('en-US')} stimulus and expected values ` +
            `(${one.inputs.length + one.expected.length} per transaction); the limit is ${COSIM_VALUE_LIMIT.toLocaleString('en-US')} ` +
            `(at most ${Math.floor(COSIM_VALUE_LIMIT / (one.inputs.length + one.expected.length)).toLocaleString('en-US')} transactions here; ${LIMIT_DOC})`,
        );
      }
      return { bench: b, prepared: b.prepare(p.raw(b), count, p.seed) };
    } catch (e) {
      if (e instanceof ConfigError || e instanceof DslError) throw new CliError(args.config === undefined ? e.message : `--config ${args.config}: ${e.message}`);
      // Derived widths above the DSL's limit: the configuration's size (see gen.ts).
      if (e instanceof ShapeError) throw new CliError(`${args.config === undefined ? '' : `--config ${args.config}: `}unit ${b.name}: this configuration needs a signal wider than the DSL allows (${e.message.replace(/^[a-z]+: /, '')}): make it smaller`);
      throw e;
    }
  });
  // A missing simulator is the environment's fault (exit 2 with the install
  // hint), not the design's: find out before any run can report FAIL.
  for (const tool of ['verilator', 'iverilog', 'vvp'] as const) requireTool(tool);
  const progress = new Progress(io.err, cases.length * 3);
  const results: UnitResult[] = [];
  try {
    for (const { bench, prepared } of cases) results.push(await runOne(bench, prepared, p, hooks, progress));
  } finally {
    progress.stop();
  }
  for (const r of results) printResult(r, p, io.out);
  if (results.length > 1) {
    const failed = results.filter((r) => r.failure !== undefined).map((r) => r.unit);
    const compared = results.reduce((s, r) => s + (r.check?.compared ?? 0), 0);
    const skipped = REGISTRY.filter((g) => findUnitBench(g.name) === undefined).map((g) => g.name);
    io.out(`cosim all: ${results.length - failed.length} of ${results.length} units pass${failed.length > 0 ? ` (failed: ${failed.join(', ')})` : ''}, ${compared} outputs compared`);
    if (skipped.length > 0) io.out(`  not co-simulated here (no bench in sim/units/): ${skipped.join(', ')}`);
  }
  return results.every((r) => r.failure === undefined);
}

interface UnitResult {
  unit: string;
  configHash: string;
  config: PreparedCase['config'];
  counts: string;
  count: number;
  inputs: number;
  outputs: number;
  build?: { hash: string; cacheHit: boolean; ms: number };
  check?: CheckUnitResult;
  acev2?: { acev2: number; ace: number; macs: number; pj: number; handshakes: string };
  vcd?: string;
  failure?: { message: string; mismatches: readonly { index: number; expected: bigint; actual: bigint }[] };
}

async function runOne(bench: UnitBench, prepared: PreparedCase, p: Plan, hooks: CosimHooks, progress: Progress): Promise<UnitResult> {
  const unit = bench.name;
  const configHash = createHash('sha256').update(`${unit}\0${JSON.stringify(prepared.config)}`).digest('hex').slice(0, 12);
  const expected = hooks.perturbExpected?.(unit, prepared.expected) ?? prepared.expected;
  const result: UnitResult = {
    unit,
    configHash,
    config: prepared.config,
    counts: bench.counts,
    count: p.count ?? bench.defaultCount,
    inputs: prepared.inputs.length,
    outputs: expected.length,
  };
  const describe = `${unit} config ${configHash} seed ${p.seed}`;
  try {
    progress.step(unit, 'emitting and building');
    const design = emitDesign(prepared.module, { romInit: 'inline' });
    const sim = toSimDesign(design, `cosim(${describe})`);
    const started = Date.now();
    const built = await buildSimulator(sim, { log: () => {} });
    result.build = { hash: built.hash.slice(0, 12), cacheHit: built.cacheHit, ms: Date.now() - started };

    progress.step(unit, `co-simulating ${prepared.inputs.length} input transactions`);
    const check = await checkUnit(design, prepared.inputs, expected, {
      describe,
      backpressureSeeds: p.backpressure ? [p.seed * 2 + 1, p.seed * 2 + 2].map((s) => s >>> 0) : [],
      icarusSubset: prepared.icarusPrefix(p.icarus),
      build: { log: () => {} },
    });
    result.check = check;

    progress.step(unit, 'tallying ACEv2');
    const handshakes = prepared.tallyOn === 'in' ? check.inHandshakes : check.outHandshakes;
    const t = tallyFromInventory(prepared.inventory, handshakes, DEFAULT_COST_TABLE);
    result.acev2 = { acev2: t.acev2, ace: t.ace, macs: t.macs, pj: t.pj, handshakes: `${handshakes} ${prepared.tallyOn === 'in' ? 'input' : 'output'} handshakes` };
    if (p.vcd === 'always') {
      const frame = { inputs: packValues(prepared.inputs, sim.inWidth), count: prepared.inputs.length, expectOutputs: expected.length };
      const file = path.join(buildRoot(), 'vcd', `${design.top}-${configHash}-seed${p.seed}.vcd`);
      result.vcd = await rerunWithTrace(built, [frame], file);
    }
  } catch (e) {
    if (e instanceof CoSimMismatchError) {
      // The message lists the mismatches and the VCD again: keep its first line.
      result.failure = { message: e.message.split('\n')[0]!.replace(/:$/, ''), mismatches: e.mismatches };
      result.vcd = e.vcdPath;
    } else if (e instanceof SimError && (e.kind === 'tool-missing' || e.kind === 'environment')) {
      // Not the design's fault: the error boundary prints it with exit 2.
      throw e;
    } else if (e instanceof SimError) {
      // A build failure, a timeout, a protocol error or an Icarus disagreement: the design's fault, exit 1.
      result.failure = { message: e.message, mismatches: [] };
    } else {
      throw e;
    }
  }
  return result;
}

function printResult(r: UnitResult, p: Plan, out: (line: string) => void): void {
  const row = (k: string, v: string): void => out(`  ${k.padEnd(13)}${v}`);
  const rel = (f: string): string => path.relative(process.cwd(), f) || f;
  out(`cosim ${r.unit}: ${r.failure === undefined ? 'PASS' : 'FAIL'}`);
  row('config', `${r.configHash} ${JSON.stringify(r.config)}`);
  row('seed', String(p.seed));
  row('transactions', `${r.count} ${r.counts}: ${r.inputs} input transactions, ${r.outputs} expected outputs`);
  if (r.build !== undefined) row('build', r.build.cacheHit ? `cache hit (${r.build.hash})` : `built in ${(r.build.ms / 1000).toFixed(1)} s (${r.build.hash})`);
  if (r.check !== undefined) {
    const c = r.check;
    row('compared', `${c.compared} outputs (${c.runs.map((x) => `${x.name}: ${x.compared}`).join('; ')})`);
    row('cycles', `${c.cycles} always ready (${c.inHandshakes} in, ${c.outHandshakes} out handshakes)`);
    const ic = c.runs[c.runs.length - 1]!;
    row('icarus', `agrees on all ${ic.compared} outputs it ran`);
  }
  if (r.acev2 !== undefined) {
    const a = r.acev2;
    row('ACEv2', `${a.acev2} (ACE ${a.ace}, ${a.macs} MACs, ${a.pj.toFixed(1)} pJ) = inventory x ${a.handshakes}`);
  }
  if (r.failure !== undefined) {
    const [first, ...rest] = r.failure.message.split('\n');
    row('failure', first!);
    for (const line of rest) row('', line.trim());
    for (const m of r.failure.mismatches.slice(0, 8)) row('', `output ${m.index}: expected 0x${m.expected.toString(16)}, actual 0x${m.actual.toString(16)}`);
  }
  if (r.vcd !== undefined) row('vcd', rel(r.vcd));
  if (r.failure !== undefined) row('replay', `npx tsx src/cli/main.ts cosim --unit ${r.unit} ${p.replay}`);
}

/** A cli-progress bar on a terminal; plain lines otherwise (logs, CI, pipes). */
class Progress {
  readonly #stream: CosimIo['err'];
  readonly #total: number;
  #done = 0;
  #bar: cliProgress.SingleBar | undefined;
  constructor(stream: CosimIo['err'], total: number) {
    this.#stream = stream;
    this.#total = total;
    if (stream.isTTY === true) {
      this.#bar = new cliProgress.SingleBar(
        { stream, format: 'cosim [{bar}] {value}/{total} {unit}: {phase}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      this.#bar.start(total, 0, { unit: '', phase: 'starting' });
    }
  }
  step(unit: string, phase: string): void {
    this.#done++;
    if (this.#bar !== undefined) this.#bar.update(this.#done - 1, { unit, phase });
    else this.#stream.write(`cosim ${this.#done}/${this.#total} ${unit}: ${phase}\n`);
  }
  stop(): void {
    if (this.#bar !== undefined) {
      this.#bar.update(this.#total);
      this.#bar.stop();
    }
  }
}

