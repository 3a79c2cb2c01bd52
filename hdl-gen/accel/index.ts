// The network accelerator's RTL generator (DSL).
export { generateAccelerator, generateLoadableAccelerator, generateAxiAccelerator } from './generate.ts';
export { roundShiftVar } from './roundShiftVar.ts';
