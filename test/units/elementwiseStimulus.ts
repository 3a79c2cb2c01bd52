/**
 * Shared pieces of the elementwise-unit property tests: seeds and fuzz level
 * from the environment, a fast seeded generator for bulk data (fast-check
 * draws the configurations and the data seed, so a failure replays from the
 * printed seed), corner-heavy lane data, and the run + ACEv2 check.
 */
import { type Shape, maxOf, minOf } from '../../src/arith/index.ts';
import { DEFAULT_COST_TABLE, type LayerTally, type OperatorInventory, tallyFromInventory } from '../../src/cost/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import type { Module } from '../../hdl-gen/dsl/index.ts';
import type { FieldSpec, LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
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

/** splitmix32-style generator: deterministic, fast enough for thousands of bigints. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  u32(): number {
    this.#s = (this.#s + 0x9e3779b9) >>> 0;
    let z = this.#s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  /** Uniform bigint in [lo, hi]. */
  big(lo: bigint, hi: bigint): bigint {
    const span = hi - lo + 1n;
    const bits = span.toString(2).length + 8;
    let v = 0n;
    for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(this.u32());
    return lo + (v % span);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
}

/** The corner values of a shape: both ends, zero, +-1, one in from each end. */
export function cornersOf(s: Shape): bigint[] {
  const lo = minOf(s);
  const hi = maxOf(s);
  const c = [lo, hi, 0n, 1n, -1n, lo + 1n, hi - 1n];
  return [...new Set(c.filter((v) => v >= lo && v <= hi))];
}

/** A value of `s`: a corner with probability 1/4, else uniform. */
export function drawValue(rng: Rng, s: Shape): bigint {
  return rng.below(4) === 0 ? rng.pick(cornersOf(s)) : rng.big(minOf(s), maxOf(s));
}

/**
 * `count` transactions of `lanes` lanes: first the whole-word corners (every
 * field at its max, at its min, zero, alternating max/min across lanes, and
 * each field alone at an end with the others at the opposite end), then
 * corner-heavy random data.
 */
export function laneStimulus(rng: Rng, fields: readonly FieldSpec[], lanes: number, count: number): LaneValues[][] {
  const all = (f: (field: FieldSpec, lane: number) => bigint): LaneValues[] =>
    Array.from({ length: lanes }, (_, lane) => Object.fromEntries(fields.map((fs) => [fs.name, f(fs, lane)])));
  const out: LaneValues[][] = [
    all((f) => maxOf(f.shape)),
    all((f) => minOf(f.shape)),
    all(() => 0n),
    all((f, lane) => (lane % 2 === 0 ? maxOf(f.shape) : minOf(f.shape))),
    all((f, lane) => (lane % 2 === 0 ? minOf(f.shape) : maxOf(f.shape))),
  ];
  for (const g of fields) {
    out.push(all((f) => (f === g ? maxOf(f.shape) : minOf(f.shape))));
    out.push(all((f) => (f === g ? minOf(f.shape) : maxOf(f.shape))));
  }
  while (out.length < count) out.push(all((f) => drawValue(rng, f.shape)));
  return out.slice(0, count);
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
