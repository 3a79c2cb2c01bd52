/**
 * The AXI spill build's activation RAM: two banks, the halves of the address space (the top
 * address bit selects one). The compiler puts consecutive row bands in alternate banks
 * (src/accel/compileSpill.ts), so while the engine computes a band from one bank the DMA fills the
 * next band's input rows into the other and drains the previous band's output rows from it: each
 * bank has one write port (the engine's results, or the DMA's fill) and one read port (the engine's
 * taps, or the DMA's drain), and the schedule never gives both users of a port the same bank in
 * the same cycle. A program that fits the RAM uses both banks as one RAM, one user at a time.
 */
import { unsigned } from '../../src/arith/index.ts';
import { type AccelConfig, actWordWidth } from '../../src/accel/index.ts';
import { type Expr, type Signal, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';

export interface BankPorts {
  /** The engine: stage W's write, and the tap address (its data, one cycle later, is `engineData`). */
  readonly engineWrite: { readonly enable: Expr; readonly addr: Expr; readonly data: Expr };
  readonly engineRead: Expr;
  /** The DMA: the fill (a band's input words) and the drain's read address while `drainActive`. */
  readonly fill: { readonly enable: Expr; readonly addr: Expr; readonly data: Expr };
  readonly drainRead: Expr;
  readonly drainActive: Expr;
}

export function actBanks(m: Module, c: AccelConfig, p: BankPorts, engineData: Signal): { drainData: Expr } {
  const A = c.actAddrBits;
  const W = actWordWidth(c);
  const top = (a: Expr): Expr => a.bit(A - 1);
  const local = (a: Expr): Expr => a.slice(A - 2, 0);
  const data = [0, 1].map((b) => {
    const mine = (a: Expr): Expr => top(a).eq(b);
    const fill = m.wire(`act_fill${b}`, p.fill.enable.and(mine(p.fill.addr)));
    const eng = p.engineWrite.enable.and(mine(p.engineWrite.addr));
    return m.ram(`acts${b}`, {
      shape: bus(W),
      writeAddr: mux(fill, local(p.fill.addr), local(p.engineWrite.addr)),
      writeData: mux(fill, p.fill.data, p.engineWrite.data),
      writeEnable: fill.or(eng),
      readAddr: mux(p.drainActive.and(mine(p.drainRead)), local(p.drainRead), local(p.engineRead)),
    });
  });
  // Synchronous reads: the data is the bank the address named a cycle ago.
  const engBank = m.reg('act_eng_bank', unsigned(1), { reset: 'none' });
  const drainBank = m.reg('act_drain_bank', unsigned(1), { reset: 'none' });
  m.update(engBank, top(p.engineRead));
  m.update(drainBank, top(p.drainRead));
  m.assign(engineData, mux(engBank, data[1]!, data[0]!));
  return { drainData: mux(drainBank, data[1]!, data[0]!) };
}
