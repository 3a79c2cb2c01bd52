// The network accelerator's RTL generator (DSL).
export { generateAccelerator, DRAIN_CYCLES } from './generate.ts';
export { roundShiftVar } from './roundShiftVar.ts';
