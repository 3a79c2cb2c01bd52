// The co-simulation both pooling units' tests run on a configuration: the
// bench's images, Verilator always ready, two backpressure seeds and the slow
// consumer, a whole-image prefix in Icarus; every count, the exact cycle count
// and the ACEv2 tally (inventory x output handshakes = the analytic tally)
// asserted. The unit-specific parts come in as arguments.
import { expect } from 'vitest';
import { DEFAULT_COST_TABLE, type LayerTally, type OperatorInventory, tallyFromInventory } from '../../src/cost/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import type { Module } from '../../hdl-gen/dsl/index.ts';
import type { PoolGeometry } from '../../hdl-gen/units/avgPool/poolGeometry.ts';
import { checkUnit } from '../../sim/check/index.ts';
import type { Image, TypedUnitBench } from '../../sim/units/index.ts';
import { transactionCount } from './elementwiseStimulus.ts';

export interface PoolUnitUnderTest<C> {
  readonly name: string;
  readonly bench: TypedUnitBench<C, Image>;
  readonly geometry: (c: C) => PoolGeometry;
  readonly generate: (c: C) => Module;
  readonly cycles: (c: C, images: number) => number;
  readonly inventory: (c: C) => OperatorInventory;
  readonly analytic: (c: C, outputs: number) => LayerTally;
}

/** Runs one configuration; returns the pixels sent and the outputs compared. */
export async function poolCosim<C>(u: PoolUnitUnderTest<C>, c: C, dataSeed: number, seed: number): Promise<{ pixels: number; compared: number }> {
  const d = u.geometry(c);
  const imgs = u.bench.stimulus(c, transactionCount(3000), dataSeed);
  const inputs = u.bench.inputs(c, imgs);
  const expected = u.bench.expected(c, imgs);
  const P = d.config.width * d.config.height;
  const perImage = d.outWidth * d.outHeight;
  const icarusImages = Math.max(1, Math.min(imgs.length, Math.floor(1500 / P)));
  const describe = `${u.name} ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
  const r = await checkUnit(emitDesign(u.generate(c), { romInit: 'inline' }), inputs, expected, {
    describe,
    backpressureSeeds: [dataSeed * 2 + 1, dataSeed * 2 + 2].map((s) => s >>> 0),
    icarusSubset: { inputs: icarusImages * P, outputs: icarusImages * perImage },
  });
  expect(r.runs[0]!.compared).toBe(expected.length);
  expect(r.runs[1]!.compared).toBe(3 * expected.length); // 2 seeds + the slow consumer
  expect(r.runs[2]!.compared).toBe(icarusImages * perImage);
  expect(r.inHandshakes).toBe(inputs.length);
  expect(r.outHandshakes).toBe(expected.length);
  expect(r.cycles, describe).toBe(u.cycles(c, imgs.length));
  // ACEv2: the inventory x output handshakes is src/cost's tally, operation by operation.
  expect(tallyFromInventory(u.inventory(c), r.outHandshakes, DEFAULT_COST_TABLE), describe).toEqual(u.analytic(c, r.outHandshakes));
  return { pixels: inputs.length, compared: r.compared };
}
