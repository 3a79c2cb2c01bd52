// Public API of the Verilator/Icarus co-simulation layer.
export { buildSimulator, verilatorFlags } from './buildSimulator.ts';
export { buildStats } from './buildStats.ts';
export { coSimulate, CoSimMismatchError } from './coSimulate.ts';
export type { CoSimulateInput, CoSimulateResult } from './coSimulate.ts';
export { compareOutputs } from './compareOutputs.ts';
export { bytesPerTransaction, packValues, readValue, unpackValues, writeValue } from './packing.ts';
export { rerunWithTrace } from './rerunWithTrace.ts';
export type { TraceOptions } from './rerunWithTrace.ts';
export { runIcarus } from './runIcarus.ts';
export type { IcarusResult, IcarusRun } from './runIcarus.ts';
export { SimError } from './simError.ts';
export type { SimErrorKind } from './simError.ts';
export { startSimulator } from './startSimulator.ts';
export type { Simulator } from './startSimulator.ts';
export { cycleBudget } from './protocol.ts';
export type {
  Backpressure,
  BenchResult,
  BuildOptions,
  BuildStats,
  BuiltSimulator,
  CloseSummary,
  Comparison,
  DesignSource,
  FrameResult,
  Mismatch,
  SimDesign,
  SimFrame,
  StartOptions,
} from './types.ts';
