/**
 * Mutation testing of one unit: its bench's default configuration and
 * stimulus (the properties `npm test` and `pikehdl cosim` check), every
 * selected mutant built into one schemata design (one Verilator build), the
 * original (mutant 0) run first and required to pass, then each mutant.
 */
import type { Module } from '../../hdl-gen/dsl/index.ts';
import type { PreparedCase } from '../../sim/units/index.ts';
import { type Mutation, selectMutants } from '../../hdl-gen/mutate/index.ts';
import { SLOW_CONSUMER, backpressureFromSeed } from '../../sim/check/index.ts';
import { buildSimulator, packValues } from '../../sim/index.ts';
import type { SimFrame } from '../../sim/index.ts';
import { type MutantOutcome, type PropertyFrames, UNKNOWN_INITIAL_STATE_FLAGS, runMutant } from './runMutant.ts';
import { enumerateMutations, schemataDesign } from './schemataDesign.ts';
import { VerifyError } from './verifyError.ts';

/** The unit tests' default backpressure seeds (sim/check's checkUnit), then its slow consumer. */
export const PROPERTY_BACKPRESSURE_SEEDS = [1, 2] as const;

export interface MutantResult extends Mutation {
  outcome: MutantOutcome | 'equivalent';
  /** Which check killed it, or the equivalence verdict of a survivor. */
  by: string;
}

export interface UnitMutationResult {
  readonly unit: string;
  readonly config: unknown;
  readonly sites: number;
  readonly mutants: MutantResult[];
  readonly buildMs: number;
  readonly runMs: number;
  readonly cacheHit: boolean;
  /** The schemata's core sources (for the equivalence checks of survivors). */
  readonly coreSources: readonly { readonly name: string; readonly text: string }[];
  readonly coreTop: string;
  readonly inWidth: number;
  readonly outWidth: number;
}

export interface MutateOptions {
  readonly budget: number;
  readonly seed: number;
  readonly timeoutMs?: number;
  readonly onProgress?: (line: string) => void;
  /** Run only this mutant (a replay); it is built in alone. */
  readonly only?: number;
  /** Run exactly these mutants (tests that show a property kills a known mutant). */
  readonly ids?: readonly number[];
}

export function propertyFrames(prepared: PreparedCase, outWidth: number, inWidth: number): PropertyFrames {
  const inputs = packValues(prepared.inputs, inWidth);
  const expected = packValues(prepared.expected, outWidth);
  const frame = (backpressure?: SimFrame['backpressure']): SimFrame => ({
    inputs,
    count: prepared.inputs.length,
    expectOutputs: prepared.expected.length,
    ...(backpressure ? { backpressure } : {}),
  });
  const seeds = PROPERTY_BACKPRESSURE_SEEDS.map(backpressureFromSeed);
  const frames = [frame(), ...seeds.map((s) => frame(s)), frame(SLOW_CONSUMER)];
  return {
    frames,
    names: ['always ready', ...seeds.map((s) => `backpressure seed ${s.seed}`), 'slow consumer'],
    expected: frames.map(() => expected),
    counted: frames.map((_, k) => k === 0),
  };
}

export async function mutateUnit(unit: string, prepared: PreparedCase, opts: MutateOptions): Promise<UnitMutationResult> {
  return mutateDesign(unit, prepared.module, prepared.config, (inWidth, outWidth) => propertyFrames(prepared, outWidth, inWidth), opts);
}

/**
 * Mutation testing of any stream design: its mutant schemata built once (with
 * registers whose initial value a launch chooses), the original run first and
 * required to pass (which also checks that no register needing a reset lacks
 * one), then each selected mutant through the same frames.
 */
export async function mutateDesign(
  unit: string,
  module: Module,
  config: unknown,
  propertyOf: (inWidth: number, outWidth: number) => PropertyFrames,
  opts: MutateOptions,
): Promise<UnitMutationResult> {
  const log = opts.onProgress ?? (() => {});
  const all = enumerateMutations(module);
  if (all.length === 0) throw new VerifyError(`unit ${unit}: the design has no mutation sites`);
  if (opts.only !== undefined && (opts.only < 1 || opts.only > all.length)) {
    throw new VerifyError(`unit ${unit}: mutant ${opts.only} does not exist: this design has mutants 1 to ${all.length}`);
  }
  for (const id of opts.ids ?? []) if (id < 1 || id > all.length) throw new VerifyError(`unit ${unit}: mutant ${id} does not exist: this design has mutants 1 to ${all.length}`);
  const ids = opts.only !== undefined ? [opts.only] : opts.ids !== undefined ? [...opts.ids] : selectMutants(all, opts.budget, opts.seed);
  const design = schemataDesign(module, new Set(ids));
  const t0 = Date.now();
  log(`mutate ${unit}: building the schemata of ${ids.length} mutants`);
  const built = await buildSimulator(design.sim, { log: () => {}, extraVerilatorArgs: [...UNKNOWN_INITIAL_STATE_FLAGS] });
  const buildMs = Date.now() - t0;
  const base = propertyOf(design.sim.inWidth, design.sim.outWidth);

  const t1 = Date.now();
  const original = await runMutant(built, 0, base, opts.timeoutMs ?? 30_000);
  if (original.outcome !== 'survived' || original.timing === undefined) {
    throw new VerifyError(
      `unit ${unit}: the original design (mutant 0 of the schemata) fails its properties (${original.by}): ` +
        'either a register that needs a reset has none (the launches start from random and all-ones registers) or the mutation machinery has a bug',
    );
  }
  // A mutant may be slower than the original, not hang: four times the original's time, at least the limit asked for.
  const timeoutMs = Math.max(opts.timeoutMs ?? 30_000, 4 * (Date.now() - t1));
  const frames: PropertyFrames = { ...base, timing: original.timing };
  const mutants: MutantResult[] = [];
  for (const id of ids) {
    const m = design.mutations[id - 1]!;
    const r = await runMutant(built, id, frames, timeoutMs);
    const eq = m.equivalentBy;
    if (eq !== undefined && r.outcome !== 'survived') {
      throw new VerifyError(`unit ${unit}: mutant ${id} (${m.description}) is equivalent by the ${eq.argument} argument but the properties kill it (${r.by}): this is a bug of the argument`);
    }
    if (eq !== undefined) mutants.push({ ...m, outcome: 'equivalent', by: `proven equivalent (${eq.argument}): ${eq.why}` });
    else mutants.push({ ...m, outcome: r.outcome, by: r.by });
    log(`mutate ${unit}: ${mutants.length}/${ids.length} #${id} ${r.outcome}`);
  }
  return {
    unit,
    config,
    sites: all.length,
    mutants,
    buildMs,
    runMs: Date.now() - t1,
    cacheHit: built.cacheHit,
    coreSources: design.coreSources,
    coreTop: design.coreTop,
    inWidth: design.sim.inWidth,
    outWidth: design.sim.outWidth,
  };
}
