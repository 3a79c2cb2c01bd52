/**
 * The ACEv2 cost table: what one operation of each kind costs, as a function
 * of its operand widths. ONE declared table (DEFAULT_COST_TABLE) fixed from
 * its sources before any network was costed; docs/acev2.md states where each
 * row comes from. Users replace it with a JSON file (costTableFile.ts).
 *
 * A table is plain data so that it can be written, read and diffed: integer
 * kinds map to a named rule times a scale, float kinds to a cost per format,
 * and `overrides` pin single operations (by opKey) to a cost.
 */
import { type Op, type OpKind, type FloatFormat, FLOAT_FORMAT_BITS, opKey } from './ops.ts';

/** Named cost rules for integer operations. Every rule is non-decreasing in
 *  every width, so with a non-negative scale the cost is monotone. */
export const INT_RULES = ['product', 'sum', 'max', 'width', 'widthTimesAmountBits', 'zero'] as const;
export type IntRuleName = (typeof INT_RULES)[number];

export interface IntRule {
  readonly rule: IntRuleName;
  /** Multiplies the rule's value; 1 in the default table. */
  readonly scale: number;
}
export type FloatRule = Readonly<Record<FloatFormat, number>>;

export type IntKind = Exclude<OpKind, 'floatMac' | 'floatMul' | 'floatAdd'>;
export type FloatKind = Extract<OpKind, 'floatMac' | 'floatMul' | 'floatAdd'>;

/** Which rules make sense for which integer kind (the rule reads widths the
 *  kind has). */
export const RULES_FOR_KIND: Readonly<Record<IntKind, readonly IntRuleName[]>> = Object.freeze({
  mac: ['product', 'sum', 'max', 'zero'],
  intMul: ['product', 'sum', 'max', 'zero'],
  intAdd: ['product', 'sum', 'max', 'zero'],
  compare: ['width', 'zero'],
  shiftConst: ['width', 'zero'],
  shiftVar: ['widthTimesAmountBits', 'width', 'zero'],
});

export interface CostTable {
  readonly name: string;
  readonly intRules: Readonly<Record<IntKind, IntRule>>;
  readonly floatRules: Readonly<Record<FloatKind, FloatRule>>;
  /** opKey -> cost, taking precedence over the rules. */
  readonly overrides: Readonly<Record<string, number>>;
}

const b2 = (f: FloatFormat): number => FLOAT_FORMAT_BITS[f] ** 2;
const floatSquare: FloatRule = Object.freeze({ fp16: b2('fp16'), bf16: b2('bf16'), fp32: b2('fp32') });

/**
 * The project's ACEv2 convention (FIELD-GUIDE.md, docs/acev2.md):
 * - mac: weight x activation bits, no accumulation term (ACE, PokeBNN);
 * - intMul p x q: p*q (same array multiplier as a MAC's product);
 * - intAdd: max(p, q) (a ripple adder of the wider operand);
 * - compare: the compared width; shiftConst: 0 (wiring);
 * - shiftVar: width x amount bits (one mux level per amount bit);
 * - float ops (and float MACs, as in ACE with b-bit operands): b^2 with b the
 *   format width, after the bf16-as-16x16 costing in PokeBNN's code.
 */
export const DEFAULT_COST_TABLE: CostTable = Object.freeze({
  name: 'acev2-default',
  intRules: Object.freeze({
    mac: Object.freeze({ rule: 'product', scale: 1 }),
    intMul: Object.freeze({ rule: 'product', scale: 1 }),
    intAdd: Object.freeze({ rule: 'max', scale: 1 }),
    compare: Object.freeze({ rule: 'width', scale: 1 }),
    shiftConst: Object.freeze({ rule: 'zero', scale: 1 }),
    shiftVar: Object.freeze({ rule: 'widthTimesAmountBits', scale: 1 }),
  }),
  floatRules: Object.freeze({ floatMac: floatSquare, floatMul: floatSquare, floatAdd: floatSquare }),
  overrides: Object.freeze({}),
}) as CostTable;

/** The widths a rule reads, in a fixed order: [p, q] for two-operand kinds. */
function operandWidths(op: Exclude<Op, { kind: FloatKind }>): { p: number; q: number; amount: number } {
  switch (op.kind) {
    case 'mac':
      return { p: op.weight, q: op.activation, amount: 0 };
    case 'intMul':
    case 'intAdd':
      return { p: op.a, q: op.b, amount: 0 };
    case 'compare':
    case 'shiftConst':
      return { p: op.width, q: 0, amount: 0 };
    case 'shiftVar':
      return { p: op.width, q: 0, amount: op.amountBits };
  }
}

function applyRule(rule: IntRuleName, w: { p: number; q: number; amount: number }): number {
  switch (rule) {
    case 'product':
      return w.p * w.q;
    case 'sum':
      return w.p + w.q;
    case 'max':
      return Math.max(w.p, w.q);
    case 'width':
      return w.p;
    case 'widthTimesAmountBits':
      return w.p * w.amount;
    case 'zero':
      return 0;
  }
}

/** ACEv2 cost of one operation under `table`. */
export function opCost(table: CostTable, op: Op): number {
  const pinned = table.overrides[opKey(op)];
  if (pinned !== undefined) return pinned;
  if (op.kind === 'floatMac' || op.kind === 'floatMul' || op.kind === 'floatAdd') {
    return table.floatRules[op.kind][op.format];
  }
  const r = table.intRules[op.kind];
  return r.scale * applyRule(r.rule, operandWidths(op));
}

/**
 * ACE of one operation (PokeBNN): weight bits x activation bits for a MAC,
 * b x b for a b-bit float MAC, and 0 for every elementwise operation. Fixed
 * by definition, so it does not read the cost table.
 */
export function opAce(op: Op): number {
  if (op.kind === 'mac') return op.weight * op.activation;
  if (op.kind === 'floatMac') return FLOAT_FORMAT_BITS[op.format] ** 2;
  return 0;
}

/** True for the multiply-accumulates (the part of a network ACE counts). */
export function isMac(op: Op): boolean {
  return op.kind === 'mac' || op.kind === 'floatMac';
}
