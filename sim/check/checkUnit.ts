import { buildSimulator } from '../buildSimulator.ts';
import { coSimulate } from '../coSimulate.ts';
import { compareOutputs } from '../compareOutputs.ts';
import { packValues } from '../packing.ts';
import { runIcarus } from '../runIcarus.ts';
import { SimError } from '../simError.ts';
import { startSimulator } from '../startSimulator.ts';
import type { BuildOptions, SimDesign, SimFrame } from '../types.ts';
import { SLOW_CONSUMER, backpressureFromSeed } from './backpressureFromSeed.ts';
import { toSimDesign, type UnitDesign } from './unitDesign.ts';

export interface CheckUnitOptions {
  /** What is being checked (unit, config, seed): every error message starts with it. */
  describe: string;
  /** One random-backpressure run of all transactions per seed (see backpressureFromSeed). Default [1, 2]. Then the slow consumer. */
  backpressureSeeds?: readonly number[];
  /**
   * The prefix Icarus cross-checks: a number of expected outputs (at least 1;
   * default min(32, all)), whose inputs are cut with inputsPerOutput, or an
   * explicit { inputs, outputs } for units whose ratio is not constant (a
   * weight load, then images).
   */
  icarusSubset?: number | IcarusPrefix;
  /**
   * Input transactions per output transaction, to cut a numeric Icarus prefix.
   * Default: inputs / outputs when that divides exactly (otherwise give this or
   * an explicit prefix).
   */
  inputsPerOutput?: number;
  /** With backpressure seeds, one more run with a slow consumer (SLOW_CONSUMER: pipelines fill, inputs stall). Default true. */
  slowConsumer?: boolean;
  /** Per-run simulator timeout. */
  timeoutMs?: number;
  build?: BuildOptions;
}

/** The first `inputs` input transactions produce the first `outputs` expected outputs. */
export interface IcarusPrefix {
  inputs: number;
  outputs: number;
}

export interface CheckRun {
  name: string;
  compared: number;
  cycles: number;
}

export interface CheckUnitResult {
  /** Outputs compared over every run: always-ready + each backpressure seed + Icarus. */
  compared: number;
  /** Cycles of the always-ready run, from the first offered input to the last output handshake. */
  cycles: number;
  /** Output handshakes of the always-ready run, as counted by the harness (bench mode). */
  outHandshakes: number;
  /** Input handshakes of the same run: every input transaction must have been taken. */
  inHandshakes: number;
  /** One line naming every run, for test titles and reports. */
  configsDescribe: string;
  runs: CheckRun[];
}

const DEFAULT_SEEDS = [1, 2] as const;
const DEFAULT_ICARUS = 32;

/**
 * Verifies one emitted unit against expected output words: builds it (cached
 * by content hash), runs all transactions always-valid/always-ready and once
 * per backpressure seed, each compared output by output through coSimulate (a
 * mismatch throws CoSimMismatchError with a VCD path), counts handshakes and
 * cycles in the harness, and cross-checks a prefix in Icarus against the same
 * expectation. Comparing nothing throws.
 */
export async function checkUnit(
  design: UnitDesign,
  inputs: readonly bigint[],
  expected: readonly bigint[],
  opts: CheckUnitOptions,
): Promise<CheckUnitResult> {
  const where = `checkUnit(${opts.describe})`;
  const sim = toSimDesign(design, where);
  const seeds = opts.backpressureSeeds ?? DEFAULT_SEEDS;
  if (expected.length === 0) throw new SimError(`${where}: expected is empty; a check that compares nothing fails`, 'no-comparison');
  if (inputs.length === 0) throw new SimError(`${where}: inputs is empty; the unit needs at least one transaction`);
  const prefix = icarusPrefix(inputs.length, expected.length, opts, where);

  const built = await buildSimulator(sim, opts.build ?? {});
  const packedIn = packValues(inputs, sim.inWidth);
  const packedOut = packValues(expected, sim.outWidth);
  const frame = (backpressure?: SimFrame['backpressure']): SimFrame => ({
    inputs: packedIn,
    count: inputs.length,
    expectOutputs: expected.length,
    ...(backpressure ? { backpressure } : {}),
  });
  const timeout = opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {};
  const runs: CheckRun[] = [];

  const ready = await coSimulate({ built, frames: [frame()], expected: [packedOut], describe: `${opts.describe}, always ready`, ...timeout });
  runs.push({ name: 'always-ready', compared: ready.compared, cycles: ready.cycles });

  const counts = await countHandshakes(built, frame(), where, opts.timeoutMs);
  if (counts.cycles !== ready.cycles || counts.outHandshakes !== expected.length || counts.inHandshakes !== inputs.length) {
    throw new SimError(
      `${where}: always-ready run took ${ready.cycles} cycles but the counting run took ${counts.cycles} cycles with ` +
        `${counts.inHandshakes} of ${inputs.length} inputs and ${counts.outHandshakes} of ${expected.length} outputs; ` +
        `a unit must take every input and give the same timing from reset`,
      'bad-response',
    );
  }

  if (seeds.length > 0) {
    const pressures = [...seeds.map(backpressureFromSeed), ...(opts.slowConsumer !== false ? [SLOW_CONSUMER] : [])];
    const bp = await coSimulate({
      built,
      frames: pressures.map((p) => frame(p)),
      expected: pressures.map(() => packedOut),
      describe: `${opts.describe}, backpressure ${pressures.map((p) => `seed ${p.seed}`).join(',')}`,
      ...timeout,
    });
    runs.push({ name: `backpressure ${pressures.map(describePressure).join(' ')}`, compared: bp.compared, cycles: bp.cycles });
  }

  runs.push(await icarusRun(sim, inputs, expected, prefix, where, opts.timeoutMs));

  const compared = runs.reduce((s, r) => s + r.compared, 0);
  if (compared === 0) throw new SimError(`${where}: compared no outputs`, 'no-comparison');
  return {
    compared,
    cycles: ready.cycles,
    outHandshakes: counts.outHandshakes,
    inHandshakes: counts.inHandshakes,
    configsDescribe: `${opts.describe}: ${inputs.length} in, ${expected.length} out; ${runs.map((r) => r.name).join('; ')}`,
    runs,
  };
}

function describePressure(p: { seed: number; inValidPct: number; outReadyPct: number }): string {
  return `seed ${p.seed} (in ${p.inValidPct}%, out ${p.outReadyPct}%)`;
}

function icarusPrefix(inputs: number, outputs: number, opts: CheckUnitOptions, where: string): IcarusPrefix {
  const subset = opts.icarusSubset ?? Math.min(DEFAULT_ICARUS, outputs);
  if (typeof subset === 'object') {
    const ok = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;
    if (!ok(subset.inputs, inputs) || !ok(subset.outputs, outputs)) {
      throw new SimError(
        `${where}: icarusSubset { inputs: ${subset.inputs}, outputs: ${subset.outputs} } must be integers from 1 to ` +
          `${inputs} inputs and 1 to ${outputs} outputs; Icarus is never skipped`,
      );
    }
    return { inputs: subset.inputs, outputs: subset.outputs };
  }
  if (!Number.isInteger(subset) || subset < 1 || subset > outputs) {
    throw new SimError(
      `${where}: icarusSubset ${subset} must be an integer from 1 to ${outputs} (the expected outputs); Icarus is never skipped`,
    );
  }
  const given = opts.inputsPerOutput;
  let ratio: number;
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1) throw new SimError(`${where}: inputsPerOutput ${given} must be a positive integer`);
    ratio = given;
  } else if (inputs % outputs === 0) {
    ratio = inputs / outputs;
  } else {
    throw new SimError(
      `${where}: ${inputs} inputs do not divide into ${outputs} outputs; pass inputsPerOutput or an explicit icarusSubset { inputs, outputs }`,
    );
  }
  return { inputs: Math.min(inputs, subset * ratio), outputs: subset };
}

/** Handshake counts of an always-ready run, from the harness's bench mode (no output payload). */
async function countHandshakes(
  built: Awaited<ReturnType<typeof buildSimulator>>,
  frame: SimFrame,
  where: string,
  timeoutMs: number | undefined,
): Promise<{ cycles: number; inHandshakes: number; outHandshakes: number }> {
  const s = await startSimulator(built, timeoutMs !== undefined ? { timeoutMs } : {});
  try {
    const r = await s.bench(frame, 1);
    await s.close();
    return r;
  } catch (e) {
    throw e instanceof SimError ? new SimError(`${where}: counting run: ${e.message}`, e.kind) : e;
  } finally {
    s.kill();
  }
}

async function icarusRun(
  sim: SimDesign,
  inputs: readonly bigint[],
  expected: readonly bigint[],
  prefix: IcarusPrefix,
  where: string,
  timeoutMs: number | undefined,
): Promise<CheckRun> {
  const { inputs: count, outputs } = prefix;
  const r = await runIcarus({
    ...sim,
    inputs: packValues(inputs.slice(0, count), sim.inWidth),
    count,
    expectOutputs: outputs,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const want = packValues(expected.slice(0, outputs), sim.outWidth);
  const cmp = compareOutputs(want, r.outputs, outputs, sim.outWidth, 8);
  if (cmp.mismatchCount > 0) {
    const lines = cmp.mismatches.map((m) => `  output ${m.index}: expected 0x${m.expected.toString(16)}, actual 0x${m.actual.toString(16)}`);
    throw new SimError(
      `${where}: Icarus disagrees with the expectation on ${cmp.mismatchCount} of ${outputs} outputs ` +
        `(Verilator agreed, so suspect X-propagation or a simulator-dependent construct):\n${lines.join('\n')}`,
      'mismatch',
    );
  }
  return { name: `icarus ${outputs} outputs`, compared: cmp.compared, cycles: r.cycles };
}
