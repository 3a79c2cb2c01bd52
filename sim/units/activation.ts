// Activation stimulus and reference: corner-heavy lanes (x, and the slope for
// PReLU) against src/ref's relu / clippedRelu / prelu + saturation.
import { clippedRelu, prelu, relu, saturateNumber } from '../../src/ref/index.ts';
import type { LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import {
  type ActivationConfig,
  activationGenerator,
  activationInventory,
  deriveActivation,
  generateActivation,
  packActivationInput,
  packActivationOutput,
} from '../../hdl-gen/units/activation/index.ts';
import { laneStimulus } from './laneStimulus.ts';
import { laneCornerCount, roundingTies, withRoundingTies } from './roundingTies.ts';
import { Rng } from './rng.ts';
import { defineUnitBench, oneToOnePrefix } from './unitBench.ts';

function reference(c: ActivationConfig, l: LaneValues): bigint {
  const x = Number(l['x']!);
  if (c.kind === 'relu') return BigInt(relu(x, deriveActivation(c).out));
  if (c.kind === 'clippedRelu') return BigInt(clippedRelu(x, c.clipHigh!));
  return BigInt(saturateNumber(prelu(x, Number(l['slope']!), c.slopeShift, c.rounding), deriveActivation(c).out));
}

export const activationBench = defineUnitBench<ActivationConfig, LaneValues[]>({
  generator: activationGenerator,
  counts: 'lane transactions',
  defaultCount: 3000,
  module: generateActivation,
  stimulus(c, count, seed) {
    const fields = deriveActivation(c).input.fields;
    const tx = laneStimulus(new Rng(seed), fields, c.lanes, count);
    if (c.kind !== 'prelu') return tx;
    // Exact rounding ties of x * P: P = 1, x the tie.
    return withRoundingTies(tx, laneCornerCount(fields), fields, roundingTies(c.slopeShift), (tie) => ({ x: tie, slope: 1n }));
  },
  inputs: (c, tx) => tx.map((lanes) => packActivationInput(c, lanes)),
  expected: (c, tx) => tx.map((lanes) => packActivationOutput(c, lanes.map((l) => reference(c, l)))),
  icarusPrefix: (_c, tx, outputs) => oneToOnePrefix(tx.length, outputs),
  inventory: activationInventory,
  tallyOn: 'out',
});
