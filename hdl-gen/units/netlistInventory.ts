/**
 * A unit's operator inventory read off its emitted netlist: every arithmetic
 * operator the emitter writes (after lowering, constant folding and sharing,
 * hdl-gen/emit/emittedOperator.ts), with its kind and operand widths, mapped
 * onto the cost model's operations. The ACEv2 the simulated activity implies
 * then counts what the hardware contains; src/cost's analytic tally stays the
 * independent side that tests compare it with.
 *
 * Mapping (the cost table's conventions, docs/acev2.md):
 * - add, sub: intAdd a x b, except an add of the literal 0 (a wire);
 *   neg: intAdd a x 1 (invert and increment);
 * - mul: intMul a x b; compares: compare at their unified width;
 * - shifts by a signal: shiftVar width by amount bits;
 * - a rounding shift: shiftConst at its input width (wiring, cost 0 in the
 *   default table), its increment an intAdd and its sticky test a compare
 *   as emitted; other constant shifts, slices, resizes, bitwise logic and
 *   selects are wiring or single gates and are not operators.
 *
 * For units whose every operator fires once per transaction (the elementwise
 * lane pipelines): firings per transaction = instances in the netlist.
 */
import type { Category, InventoryEntry, Op, OperatorInventory } from '../../src/cost/index.ts';
import { opKey } from '../../src/cost/index.ts';
import type { Module } from '../dsl/module.ts';
import type { EmittedOperator } from '../emit/emittedOperator.ts';
import { emitModule } from '../emit/emitModule.ts';

const COMPARES = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** The cost model's operation for an emitted operator, or undefined when it is not one. */
export function costOpOf(o: EmittedOperator): Op | undefined {
  switch (o.op) {
    case 'add':
    case 'sub':
      return o.zeroOperand === true ? undefined : { kind: 'intAdd', a: o.a, b: o.b };
    case 'neg':
      return { kind: 'intAdd', a: o.a, b: 1 };
    case 'mul':
      return { kind: 'intMul', a: o.a, b: o.b };
    case 'shl':
    case 'shr':
      return { kind: 'shiftVar', width: o.a, amountBits: o.b };
    case 'roundShift':
      return { kind: 'shiftConst', width: o.a };
    default:
      return COMPARES.has(o.op) ? { kind: 'compare', width: o.a } : undefined;
  }
}

/** Every operator of `top` and the modules it instantiates (once per instance), signals prefixed by instance path. */
export function netlistOperators(top: Module): EmittedOperator[] {
  const cache = new Map<Module, readonly EmittedOperator[]>();
  const out: EmittedOperator[] = [];
  const visit = (m: Module, prefix: string): void => {
    let ops = cache.get(m);
    if (ops === undefined) {
      ops = emitModule(m).operators;
      cache.set(m, ops);
    }
    for (const o of ops) out.push(prefix === '' ? o : { ...o, signal: `${prefix}${o.signal}` });
    for (const inst of m.instances) visit(inst.module, `${prefix}${inst.name}.`);
  };
  visit(top, '');
  return out;
}

/**
 * The inventory of a unit whose operators each fire once per transaction.
 * `categoryOf` says what an operator is for from the signal it computes
 * (undefined: control logic, not costed).
 */
export function netlistInventory(
  top: Module,
  categoryOf: (signal: string, op: Op) => Category | undefined,
): OperatorInventory {
  const counts = new Map<string, { op: Op; category: Category; n: number }>();
  for (const o of netlistOperators(top)) {
    const op = costOpOf(o);
    if (op === undefined) continue;
    const category = categoryOf(o.signal, op);
    if (category === undefined) continue;
    const key = `${category} ${opKey(op)}`;
    const prior = counts.get(key);
    if (prior) prior.n++;
    else counts.set(key, { op, category, n: 1 });
  }
  const operators: InventoryEntry[] = [...counts.values()].map(({ op, category, n }) => ({ ...op, category, firingsPerTransaction: n }));
  return Object.freeze({ unit: top.name, operators: Object.freeze(operators) });
}

/** The lane field a lane-pipeline register or wire computes: `s<i>_l<lane>_<field>` -> field. */
export function laneFieldOf(signal: string): string | undefined {
  return /^s\d+_l\d+_(.+)$/.exec(signal)?.[1];
}
