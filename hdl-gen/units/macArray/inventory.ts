/**
 * The MAC array's operator inventory for the ACEv2 cost model, read off its
 * emitted netlist (../macInventory.ts): per input transaction (one K-step)
 * every PE's product stage fires once. An int PE multiplies (the MAC's
 * widths are the multiplier's operands); a binary or ternary PE negates and
 * selects instead (docs/acev2.md "Hardware vs analytic"): counted as the MAC
 * it stands for, activation x weight-code width, like the analytic side. The
 * accumulator add is part of the MAC (src/cost/ops.ts convention); its
 * width, the PE's result, is carried for the energy model.
 */
import type { OperatorInventory } from '../../../src/cost/index.ts';
import type { Module } from '../../dsl/module.ts';
import { type MacRole, macInventory, signalWidth } from '../macInventory.ts';
import type { MacArrayConfig } from './config.ts';
import { macArray } from './macArray.ts';

/** Operators firing per input handshake; multiply by inHandshakes for a tally. */
export function macArrayInventory(c: MacArrayConfig): OperatorInventory {
  const top = macArray(c);
  const pes = new Map<string, Module>(top.instances.map((i) => [i.name, i.module]));
  return macInventory(top, (o): MacRole | undefined => {
    const dot = o.signal.indexOf('.');
    if (dot < 0) return { role: 'control' }; // step counter, handshake
    const pe = pes.get(o.signal.slice(0, dot));
    const signal = o.signal.slice(dot + 1);
    if (pe === undefined) return undefined;
    if (signal === 'held_en') return { role: 'control' };
    if (signal === 'sum' && o.op === 'add') return { role: 'accumulate' };
    if (signal !== 'prod') return undefined;
    const acc = signalWidth(pe, 'result');
    if (o.op === 'mul') return { role: 'product', mac: { kind: 'mac', weight: o.b, activation: o.a, acc } };
    // Binary/ternary: the product is -x or x (or 0) selected by the weight code.
    if (o.op === 'neg') return { role: 'product', mac: { kind: 'mac', weight: signalWidth(pe, 'weight'), activation: o.a, acc } };
    return undefined;
  });
}
