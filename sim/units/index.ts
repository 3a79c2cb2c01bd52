// Stimulus and reference per registered unit, by registry name: what the unit
// tests and `pikehdl cosim` co-simulate. Registered generators without an
// entry here (the generic building blocks: dot_product, comb_expr,
// skid_buffer, fifo, lookup_table) are verified by their own tests only.
import type { UnitBench } from './unitBench.ts';
import { activationBench } from './activation.ts';
import { avgPoolBench } from './avgPool.ts';
import { depthwiseBench } from './depthwise.ts';
import { fusedNormRequantBench } from './fusedNormRequant.ts';
import { macArrayBench } from './macArray.ts';
import { maxPoolBench } from './maxPool.ts';
import { quantNormBench } from './quantNorm.ts';
import { requantizerBench } from './requantizer.ts';
import { residualBench } from './residual.ts';

export const UNIT_BENCHES: readonly UnitBench[] = Object.freeze([
  macArrayBench,
  depthwiseBench,
  requantizerBench,
  quantNormBench,
  fusedNormRequantBench,
  activationBench,
  residualBench,
  avgPoolBench,
  maxPoolBench,
]);

export function findUnitBench(name: string): UnitBench | undefined {
  return UNIT_BENCHES.find((b) => b.name === name);
}

export { defineUnitBench, oneToOnePrefix } from './unitBench.ts';
export type { PreparedCase, TypedUnitBench, UnitBench, UnitBenchDef } from './unitBench.ts';
export { Rng, asValues, cornersOf, drawValue, seededBits } from './rng.ts';
export { laneStimulus } from './laneStimulus.ts';
export { activationBench, avgPoolBench, depthwiseBench, fusedNormRequantBench, macArrayBench, maxPoolBench, quantNormBench, requantizerBench, residualBench };
export { isTfliteOverflowTransaction } from './requantizer.ts';
export { foldedLanes, fusedReference } from './fusedNormRequant.ts';
export { avgPoolImages, avgPoolReference } from './avgPool.ts';
export { maxPoolImages, maxPoolReference } from './maxPool.ts';
export type { Image } from './avgPool.ts';
export { CORNERS, macCase, macTiles, referenceTile } from './macArray.ts';
export type { MacCase, MacTile } from './macArray.ts';
export { depthwiseCase, depthwiseEvents } from './depthwise.ts';
export type { DepthwiseCase, DepthwiseEvent } from './depthwise.ts';
