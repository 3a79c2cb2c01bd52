/**
 * What the emitter records about each arithmetic operator it writes: the
 * netlist's operators as emitted (after lowering, constant folding and
 * sharing of identical wires), so a cost inventory can be read off the
 * hardware instead of being listed by hand. Pure data; costing is not here.
 */
import type { BinaryOp } from '../../src/arith/index.ts';

/** Inside which lowering an operator was created (dsl/lower.ts). */
export type OperatorContext = 'clamp' | 'roundShift';

export interface EmittedOperator {
  /**
   * A binary operator, `neg`, or `roundShift`: the constant shift of a
   * rounding shift (wiring in the RTL), recorded once at the input width `a`
   * with the shift in `b` (its increment and sticky test follow as their own
   * operators, with context 'roundShift').
   */
  readonly op: BinaryOp | 'neg' | 'roundShift';
  /** Operand widths as the DSL types them (compares: both the unified width). */
  readonly a: number;
  readonly b: number;
  /** Either operand is a literal. */
  readonly constantOperand: boolean;
  /** Either operand is the literal 0 (an add of 0 is a wire after synthesis). */
  readonly zeroOperand?: boolean;
  /** The signal the operator's value flows into (a register's next value, a wire, a port). */
  readonly signal: string;
  readonly context: OperatorContext | undefined;
}
