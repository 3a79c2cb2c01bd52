// The HDL DSL: expressions with exact shapes, the module builder, the
// evaluator. No I/O here (hdl-gen/emit turns modules into text,
// hdl-gen/write puts text on disk).
export { DslError } from './dslError.ts';
export { Expr, Signal, children, constant, lit, mux, cat, describe, MAX_CONST_SHIFT } from './expr.ts';
export type { ExprNode, Operand, SignalInfo, SignalKind, SignalOwner } from './expr.ts';
export { Module, MAX_ADDRESS_WIDTH } from './module.ts';
export type {
  ClockDomain,
  Instance,
  InstanceDef,
  JsonValue,
  MemoryDef,
  ModuleMeta,
  RamDef,
  RamOptions,
  ReadMode,
  RegisterDef,
  RegisterOptions,
  RomDef,
  RomOptions,
  Stream,
  UpdateOptions,
} from './moduleTypes.ts';
export { bus, isBusWide, MAX_BUS_WIDTH } from './busShape.ts';
export { evaluate, evaluateAll } from './evaluate.ts';
export type { EvalEnv } from './evaluate.ts';
export { lowerClamp, lowerRoundShift, lowerWideShift } from './lower.ts';
export { checkIdentifier, identifierProblem, IDENTIFIER_PATTERN, MAX_IDENTIFIER_LENGTH } from './identifier.ts';
export { reservedWords } from './reservedWords.ts';
export { formatExpr } from './formatExpr.ts';
// Shapes come from the shared arithmetic, re-exported for generator authors.
export { signed, unsigned, shapeName } from '../../src/arith/index.ts';
export type { Shape, RoundingMode } from '../../src/arith/index.ts';
