/** What a mutant is: one change to a generated design, named so a person can find it. */

/** The mutation operators (issue 13's list), one name each. */
export const MUTATION_OPERATORS = [
  'op-swap',
  'compare-signedness',
  'const-off-by-one',
  'rounding-mode',
  'saturation-moved',
  'saturation-dropped',
  'slice-shift',
  'width-truncate',
  'mux-swap',
  'control-stuck',
  'enable-stuck',
  'reset-value',
] as const;
export type MutationOperator = (typeof MUTATION_OPERATORS)[number];

export interface Mutation {
  /** 1-based; 0 is the original design. Stable for a given design: the site's place in the enumeration. */
  readonly id: number;
  readonly operator: MutationOperator;
  /** Module whose definition is changed (every instance of it sees the change). */
  readonly module: string;
  /** The signal whose driver (or register next value, enable, reset) holds the site. */
  readonly signal: string;
  /** One line: where and what, e.g. `s2_l0_r: roundShift mode rne -> rnu in roundShift(s1_l0_n, 8, rne)`. */
  readonly description: string;
  /**
   * Set when the mutant is equivalent by an argument on the DSL tree
   * (deadBits.ts): "dead bit" (the changed bit is never observed) or "tie"
   * (a compare's strictness selects between equal values) or "sign guard"
   * (a compare's operands are non-negative wherever it is seen). It is still run,
   * and a kill would be a bug of the argument.
   */
  readonly equivalentBy?: { readonly argument: 'dead bit' | 'tie' | 'sign guard'; readonly why: string };
}
