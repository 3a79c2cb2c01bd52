// The network accelerator's software side: configuration, compiler, layer program, interpreter.
export { accelConfigSchema, parseAccelConfig, DEFAULT_ACCEL_CONFIG, AccelConfigError } from './config.ts';
export type { AccelConfig, AccelConfigInput } from './config.ts';
export { compileAccel } from './compile.ts';
export { fitAccelConfig } from './fitConfig.ts';
export { DRAIN_CYCLES, layerCycles, engineMultipliers, programPerformance } from './performance.ts';
export type { LayerPerformance, ProgramPerformance } from './performance.ts';
export { analyticAcev2, activityAcev2 } from './acev2.ts';
export type { LayerActivity } from './acev2.ts';
export { AccelCompileError } from './errors.ts';
export { runProgram, loadInput } from './interpret.ts';
export type { ProgramRun, LayerTrace } from './interpret.ts';
export { requantLane } from './requantLane.ts';
export * from './layout.ts';
export { LAYER_KINDS, ROUNDING_CODES, roundingCode, kindCode } from './program.ts';
export type { AccelProgram, LayerDesc, LaneParams, LayerKind } from './program.ts';
