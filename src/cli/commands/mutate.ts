// `pikehdl mutate`: mutation testing of the units' generated RTL.
//   pikehdl mutate --unit <name>|all [--budget N] [--seed S] [--mutant ID] [--config f.json] [--set k=v] [--no-equiv] [--out DIR]
// Each unit's mutants (hdl-gen/mutate: operator swaps, constants off by one,
// rounding modes, saturation bounds, slice shifts, width truncation, mux arms,
// stuck controls and enables, reset values) are built into one design behind a
// selector, built once in Verilator and run through the unit's property
// co-simulation (sim/units stimulus, default seed, always ready + the default
// backpressure seeds, exact cycles). Survivors go to Yosys and yosys-abc (PDR)
// for an equivalence proof. Results: build/mutate/<unit>.json and build/mutate/summary.{json,txt}.
// Exit 1 when a mutant that is not proven equivalent survives; bad input exit 2.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import { ConfigError, findGenerator } from '../../../hdl-gen/generators/index.ts';
import { SimError } from '../../../sim/index.ts';
import { buildRoot } from '../../../sim/paths.ts';
import { UNIT_BENCHES, findUnitBench } from '../../../sim/units/index.ts';
import type { UnitBench } from '../../../sim/units/index.ts';
import { proveEquivalent } from '../../verify/equivalence.ts';
import { ACCELERATOR, DEFAULT_ACCEL_BUDGET, mutateAccelerator } from '../../verify/mutateAccelerator.ts';
import { type UnitMutationResult, mutateUnit } from '../../verify/mutateUnit.ts';
import { mutationTable, summarize } from '../../verify/mutationReport.ts';
import { schemataDesign } from '../../verify/schemataDesign.ts';
import { VerifyError } from '../../verify/verifyError.ts';
import { requireYosys, requireYosysAbc } from '../../verify/yosys.ts';
import { CliError } from '../cliError.ts';
import { collect, rawUnitConfig } from '../unitConfig.ts';

interface MutateArgs {
  unit: string;
  budget?: string;
  seed: string;
  mutant?: string;
  equiv: boolean;
  out?: string;
  timeout: string;
  config?: string;
  set: string[];
}

export const DEFAULT_BUDGET = 1000;

export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description('mutation testing: run each unit\'s property co-simulation on mutants of its RTL and report killed / survived / timed out per operator and unit')
    .requiredOption('--unit <name>', `unit to mutate, or all (every unit), or ${ACCELERATOR} (the loadable accelerator): ${UNIT_BENCHES.map((b) => b.name).join(', ')}`)
    .option('--budget <n>', `mutants per unit (a seeded choice spread over the operators; default: every site up to ${DEFAULT_BUDGET}, ${DEFAULT_ACCEL_BUDGET} for the ${ACCELERATOR})`)
    .option('--seed <s>', 'seed of the choice of mutants (the properties keep their default seeds)', '1')
    .option('--mutant <id>', 'run only this mutant id (the replay of a survivor)')
    .option('--config <file>', 'JSON configuration of the one unit (default: the generator default)')
    .option('--set <key=value>', 'override one config field of the one unit; repeatable (mutant ids depend on the configuration)', collect, [])
    .option('--no-equiv', 'skip the equivalence proofs of survivors (Yosys equiv_induct, PDR with yosys-abc, sat -tempinduct)')
    .option('--out <dir>', 'report folder (default build/mutate)')
    .option('--timeout <ms>', 'wall-clock limit per mutant run', '30000')
    .action(async (args: MutateArgs) => {
      const ok = await runMutate(args, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
      if (!ok) process.exitCode = 1;
    });
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} ${JSON.stringify(text)} is invalid: must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** True when every mutant run was killed, timed out or proven equivalent. Throws CliError on bad input before any build. */
export async function runMutate(args: MutateArgs, out: (line: string) => void, err: (line: string) => void): Promise<boolean> {
  const accelerator = args.unit === ACCELERATOR;
  const budget = integer('budget', args.budget ?? String(accelerator ? DEFAULT_ACCEL_BUDGET : DEFAULT_BUDGET), 1, 65_535);
  const seed = integer('seed', args.seed, 0, 2 ** 31 - 1);
  const timeoutMs = integer('timeout', args.timeout, 100, 3_600_000);
  const only = args.mutant === undefined ? undefined : integer('mutant', args.mutant, 1, 65_535);
  let benches: UnitBench[];
  const sets = args.set ?? [];
  if (args.unit === 'all' || accelerator) {
    if (only !== undefined && !accelerator) throw new CliError('--mutant needs one unit, not --unit all');
    if (args.config !== undefined || sets.length > 0) throw new CliError(`--config and --set need one unit, not --unit ${args.unit}`);
    benches = accelerator ? [] : [...UNIT_BENCHES];
  } else {
    const b = findUnitBench(args.unit);
    if (b === undefined) {
      throw new CliError(`--unit ${JSON.stringify(args.unit)} is unknown: units with properties to mutate are ${UNIT_BENCHES.map((x) => x.name).join(', ')} (or all, or ${ACCELERATOR})`);
    }
    benches = [b];
  }
  try {
    if (args.equiv && !accelerator) {
      requireYosys();
      requireYosysAbc();
    }
  } catch (e) {
    if (e instanceof VerifyError) throw new CliError(e.message);
    throw e;
  }
  const outDir = path.resolve(args.out ?? path.join(buildRoot(), 'mutate'));
  const configArgs = [...(args.config !== undefined ? [`--config ${args.config}`] : []), ...sets.map((x) => `--set '${x.replace(/'/g, "'\\''")}'`)].join(' ');
  const replay = (unit: string, id: number): string =>
    `npx tsx src/cli/main.ts mutate --unit ${unit} --mutant ${id}${configArgs === '' ? '' : ` ${configArgs}`}`;
  const results: UnitMutationResult[] = [];
  if (accelerator) {
    err(`mutate ${ACCELERATOR}: building the schemata and running the accelerator's property workload on each mutant`);
    try {
      results.push(await mutateAccelerator({ budget, seed, timeoutMs, ...(only !== undefined ? { only } : {}), onProgress: err }));
    } catch (e) {
      if (e instanceof VerifyError) throw new CliError(e.message);
      if (e instanceof SimError && e.kind === 'tool-missing') throw new CliError(e.message.replace(/^pikehdl sim: /, ''));
      throw e;
    }
    // Yosys on the whole accelerator is out of reach of the equivalence flows' time limits: survivors stay survivors.
  }
  for (const bench of benches) {
    let prepared;
    try {
      prepared = bench.prepare(rawUnitConfig(findGenerator(bench.name)!.defaultConfig, args.config, sets), bench.defaultCount, 1);
    } catch (e) {
      if (e instanceof ConfigError || e instanceof DslError) throw new CliError(e.message);
      throw e;
    }
    err(`mutate ${bench.name}: building the schemata and running the properties on each mutant`);
    let r: UnitMutationResult;
    try {
      r = await mutateUnit(bench.name, prepared, { budget, seed, timeoutMs, ...(only !== undefined ? { only } : {}) });
    } catch (e) {
      if (e instanceof VerifyError) throw new CliError(e.message);
      if (e instanceof SimError && e.kind === 'tool-missing') throw new CliError(e.message.replace(/^pikehdl sim: /, ''));
      throw e;
    }
    if (args.equiv) {
      for (const m of r.mutants.filter((x) => x.outcome === 'survived')) {
        err(`mutate ${bench.name}: equivalence check of survivor #${m.id}`);
        // A schemata holding this mutant alone: Yosys folds the selector and compares two small designs.
        const alone = schemataDesign(prepared.module, new Set([m.id]));
        const v = await proveEquivalent({ coreTop: alone.coreTop, coreSources: alone.coreSources, inWidth: r.inWidth, outWidth: r.outWidth }, m.id);
        if (v.kind === 'equivalent') {
          m.outcome = 'equivalent';
          m.by = `proven equivalent: ${v.how} (${v.ms} ms)`;
        } else if (v.kind === 'different') m.by = `not equivalent: the solver finds an input sequence of ${v.step} cycles that tells it apart (a gap in the properties)`;
        else if (v.kind === 'bounded') m.by = `PDR undecided in its time limit, no difference within ${v.bound} cycles after reset (Yosys BMC), induction not closed: not proven`;
        else m.by = `equivalence check failed: ${v.message}`;
      }
    }
    results.push(r);
  }
  const text = mutationTable(results, replay);
  await mkdir(outDir, { recursive: true });
  for (const r of results) {
    const { coreSources: _sources, ...rest } = r;
    await writeAtomic(path.join(outDir, `${r.unit}.json`), `${JSON.stringify({ ...rest, seed, budget }, null, 2)}\n`);
  }
  if (only === undefined) {
    await writeAtomic(path.join(outDir, 'summary.json'), `${JSON.stringify({ seed, budget, ...summarize(results) }, null, 2)}\n`);
    await writeAtomic(path.join(outDir, 'summary.txt'), text);
  }
  for (const line of text.trimEnd().split('\n')) out(line);
  out(`reports: ${path.relative(process.cwd(), outDir) || outDir}/`);
  return results.every((r) => r.mutants.every((m) => m.outcome !== 'survived'));
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
