// The shared unit-verification helper: one call checks an emitted unit in
// Verilator (always ready and under backpressure) and Icarus against expected words.
export { checkUnit } from './checkUnit.ts';
export type { CheckRun, CheckUnitOptions, CheckUnitResult, IcarusPrefix } from './checkUnit.ts';
export { SLOW_CONSUMER, backpressureFromSeed } from './backpressureFromSeed.ts';
export { toSimDesign } from './unitDesign.ts';
export type { UnitDesign } from './unitDesign.ts';
