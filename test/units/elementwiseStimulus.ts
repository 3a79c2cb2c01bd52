/**
 * Shared pieces of the elementwise-unit property tests: seeds and fuzz level
 * from the environment, and the run + ACEv2 check. fast-check draws the
 * configurations and the data seed, so a failure replays from the printed
 * seed; the data itself (corner-heavy lanes) and the expectation come from
 * each unit's bench in sim/units/.
 */
import { DEFAULT_COST_TABLE, type LayerTally, type OperatorInventory, tallyFromInventory } from '../../src/cost/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import type { Module } from '../../hdl-gen/dsl/index.ts';
import { type CheckUnitResult, checkUnit } from '../../sim/check/index.ts';
import { buildSimulator, packValues, startSimulator, unpackValues } from '../../sim/index.ts';

/** PIKEHDL_SEED overrides every property's fixed default seed. */
export function propertySeed(fallback: number): number {
  const s = process.env['PIKEHDL_SEED'];
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`PIKEHDL_SEED = ${JSON.stringify(s)} is invalid: it must be an integer`);
  return n;
}

/** Configurations per property: `short` normally, `long` with PIKEHDL_FUZZ=long. */
export function configCount(short: number, long: number): number {
  return process.env['PIKEHDL_FUZZ'] === 'long' ? long : short;
}

/** Transactions per configuration. */
export function transactionCount(short: number): number {
  return process.env['PIKEHDL_FUZZ'] === 'long' ? short * 4 : short;
}

export interface UnitRun {
  readonly check: CheckUnitResult;
  readonly outputs: number;
}

/** Emits and checks one configuration; the description (config + seed) starts every error message. */
export async function runUnit(module: Module, inputs: readonly bigint[], expected: readonly bigint[], describe: string, seed: number): Promise<UnitRun> {
  const design = emitDesign(module, { romInit: 'inline' });
  const check = await checkUnit(design, inputs, expected, {
    describe,
    backpressureSeeds: [seed * 2 + 1, seed * 2 + 2].map((s) => s >>> 0),
    icarusSubset: Math.min(200, expected.length),
  });
  return { check, outputs: expected.length };
}

/** Inventory x simulated output handshakes, as a tally comparable with an analytic one. */
export function simulatedTally(inv: OperatorInventory, check: CheckUnitResult): LayerTally {
  return tallyFromInventory(inv, check.outHandshakes, DEFAULT_COST_TABLE);
}

/** A totals line for the closing note. */
export function summary(unit: string, configs: number, transactions: number, compared: number, extra = ''): string {
  return `[${unit}] configs=${configs} transactions=${transactions} compared outputs=${compared}${extra === '' ? '' : ` ${extra}`}`;
}

/**
 * The raw outputs of a module in Verilator (always valid/ready), for
 * comparing two designs with each other rather than with an expectation
 * (the builds are the cached ones checkUnit made).
 */
export async function simulatedOutputs(module: Module, inputs: readonly bigint[]): Promise<bigint[]> {
  const design = emitDesign(module, { romInit: 'inline' });
  const built = await buildSimulator({ top: design.top, sources: design.sources.map((s) => ({ ...s })), inWidth: design.inWidth, outWidth: design.outWidth });
  const sim = await startSimulator(built);
  try {
    const r = await sim.run({ inputs: packValues(inputs, design.inWidth), count: inputs.length, expectOutputs: inputs.length });
    await sim.close();
    return unpackValues(r.outputs, r.count, design.outWidth);
  } finally {
    sim.kill();
  }
}
