/**
 * The operator inventory of a multiply-accumulate unit (MAC array, depthwise
 * engine) read off its emitted netlist (./netlistInventory.ts). The cost
 * model's MAC (src/cost/ops.ts, after PokeBNN's ACE) is a product together
 * with its accumulation, so the RTL's multiplies become MACs with the
 * operand widths the netlist gives them, and the adds that accumulate their
 * products are part of those MACs, not operators of their own. The unit says
 * what each operator is for from the signal it computes; anything that is
 * neither a product nor its accumulation nor declared control throws, so a
 * new datapath operator cannot go uncosted silently.
 */
import type { InventoryEntry, Op, OperatorInventory } from '../../src/cost/index.ts';
import { opKey } from '../../src/cost/index.ts';
import type { Module } from '../dsl/module.ts';
import type { EmittedOperator } from '../emit/emittedOperator.ts';
import { netlistOperators } from './netlistInventory.ts';

type MacOp = Extract<Op, { kind: 'mac' }>;

/** What one emitted operator is in a MAC unit. */
export type MacRole =
  /** A product: the MAC it is, with its widths (from the operator and the datapath it feeds). */
  | { readonly role: 'product'; readonly mac: MacOp }
  /** An add summing products into the accumulator: part of the MACs above. */
  | { readonly role: 'accumulate' }
  /** Counters, handshake logic: not costed (as for every unit, docs/acev2.md). */
  | { readonly role: 'control' };

/**
 * `roleOf` classifies each emitted operator; returning undefined is a unit
 * bug (thrown, naming the signal). Every product fires once per transaction.
 */
export function macInventory(top: Module, roleOf: (o: EmittedOperator) => MacRole | undefined): OperatorInventory {
  const counts = new Map<string, { op: MacOp; n: number }>();
  for (const o of netlistOperators(top)) {
    const r = roleOf(o);
    if (r === undefined) {
      throw new Error(`macInventory(${top.name}): operator ${o.op} ${o.a}x${o.b} into ${o.signal} is neither a product, its accumulation nor control (this is a bug in the unit's inventory)`);
    }
    if (r.role !== 'product') continue;
    const key = opKey(r.mac);
    const prior = counts.get(key);
    if (prior) prior.n++;
    else counts.set(key, { op: r.mac, n: 1 });
  }
  const operators: InventoryEntry[] = [...counts.values()].map(({ op, n }) => ({ ...op, category: 'mac', firingsPerTransaction: n }));
  return Object.freeze({ unit: top.name, operators: Object.freeze(operators) });
}

/** The width of `name` among `m`'s ports and signals (a bug in the unit when absent). */
export function signalWidth(m: Module, name: string): number {
  const s = [...m.ports, ...m.signals].find((x) => x.name === name);
  if (s === undefined) throw new Error(`macInventory: ${m.name} has no signal ${name} (this is a bug in the unit's inventory)`);
  return s.info.shape.width;
}
