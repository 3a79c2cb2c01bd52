// Residual adder stimulus and reference: corner-heavy lanes (a, b and, per
// channel, their scales) against src/ref's residualAdd; per-tensor scales
// come from the config.
import { residualAdd } from '../../src/ref/index.ts';
import type { LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import {
  type ResidualConfig,
  deriveResidual,
  generateResidual,
  packResidualInput,
  packResidualOutput,
  residualGenerator,
  residualInventory,
} from '../../hdl-gen/units/residual/index.ts';
import { laneStimulus } from './laneStimulus.ts';
import { Rng } from './rng.ts';
import { defineUnitBench, oneToOnePrefix } from './unitBench.ts';

function reference(c: ResidualConfig, l: LaneValues): bigint {
  const [sa, sb] = c.tensorScales === undefined ? [Number(l['scaleA']!), Number(l['scaleB']!)] : [c.tensorScales.a, c.tensorScales.b];
  return BigInt(residualAdd(Number(l['a']!), sa, Number(l['b']!), sb, c.shift, c.rounding, deriveResidual(c).out));
}

export const residualBench = defineUnitBench<ResidualConfig, LaneValues[]>({
  generator: residualGenerator,
  counts: 'lane transactions',
  defaultCount: 3000,
  module: generateResidual,
  stimulus: (c, count, seed) => laneStimulus(new Rng(seed), deriveResidual(c).input.fields, c.lanes, count),
  inputs: (c, tx) => tx.map((lanes) => packResidualInput(c, lanes)),
  expected: (c, tx) => tx.map((lanes) => packResidualOutput(c, lanes.map((l) => reference(c, l)))),
  icarusPrefix: (_c, tx, outputs) => oneToOnePrefix(tx.length, outputs),
  inventory: residualInventory,
  tallyOn: 'out',
});
