// The shared arithmetic: shapes, ranges, width rules, rounding and saturation.
// Both hdl-gen/ and the reference model import from here and nowhere else for
// these rules.
export * from './shape.ts';
export * from './range.ts';
export * from './rounding.ts';
export * from './saturate.ts';
export * from './accumulator.ts';
export {
  unify,
  BINARY_OPS,
  UNARY_OPS,
  BINARY_RULES,
  UNARY_RULES,
  shlConstShape,
  shrConstShape,
  sliceShape,
  sliceValue,
  concatShape,
  concatValue,
  roundShiftShape,
} from './widthRules.ts';
export type { BinaryOp, UnaryOp } from './widthRules.ts';
export * from './roundDivide.ts';
export * from './roundFloat.ts';
export * from './reciprocalDivide.ts';
export * from './poolDivision.ts';
