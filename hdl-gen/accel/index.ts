// The network accelerator's RTL generator (DSL).
export { generateAccelerator } from './generate.ts';
export { roundShiftVar } from './roundShiftVar.ts';
