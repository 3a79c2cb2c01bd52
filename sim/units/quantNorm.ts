// QuantNorm stimulus and reference: corner-heavy lanes (acc, M, B) against
// src/ref's quantNorm. n is at most 49 bits, so the number version is exact.
import { quantNorm } from '../../src/ref/index.ts';
import type { LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import {
  type QuantNormConfig,
  deriveQuantNorm,
  generateQuantNorm,
  packQuantNormInput,
  packQuantNormOutput,
  quantNormGenerator,
  quantNormInventory,
} from '../../hdl-gen/units/quantNorm/index.ts';
import { laneStimulus } from './laneStimulus.ts';
import { Rng } from './rng.ts';
import { defineUnitBench, oneToOnePrefix } from './unitBench.ts';

export const quantNormBench = defineUnitBench<QuantNormConfig, LaneValues[]>({
  generator: quantNormGenerator,
  counts: 'lane transactions',
  defaultCount: 3000,
  module: generateQuantNorm,
  stimulus: (c, count, seed) => laneStimulus(new Rng(seed), deriveQuantNorm(c).input.fields, c.lanes, count),
  inputs: (c, tx) => tx.map((lanes) => packQuantNormInput(c, lanes)),
  expected: (c, tx) =>
    tx.map((lanes) => packQuantNormOutput(c, lanes.map((l) => BigInt(quantNorm(Number(l['acc']!), Number(l['multiplier']!), Number(l['offset']!)))))),
  icarusPrefix: (_c, tx, outputs) => oneToOnePrefix(tx.length, outputs),
  inventory: quantNormInventory,
  tallyOn: 'out',
});
