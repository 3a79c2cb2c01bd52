// Verilog emission: pure string generation from sealed DSL modules.
export { emitDesign } from './emitDesign.ts';
export type { EmittedDesign, EmitOptions } from './emitDesign.ts';
export { emitModule } from './emitModule.ts';
export type { EmittedFile, EmittedModule, RomInit } from './emitModule.ts';
export { streamProblem, streamWidths } from './streamWidths.ts';
export { GENERATOR_NAME } from './header.ts';
