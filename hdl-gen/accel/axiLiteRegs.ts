/**
 * The AXI build's AXI4-Lite register file (s_axil_*), laid out by
 * src/accel/axiRegisters.ts. One write and one read in flight: AW and W are
 * taken together (ready when both are valid and no B response is pending), a
 * read is answered the cycle after AR. WSTRB is ignored (32-bit registers are
 * written whole), as most small AXI-Lite peripherals do; responses are OKAY.
 */
import { unsigned } from '../../src/arith/index.ts';
import { type AccelConfig, AXI_ID_VALUE, AXI_REGISTERS, type AxiRegisterName, CTRL_IRQ_ENABLE, CTRL_START, STATUS_DONE, axiConfigWords } from '../../src/accel/index.ts';
import { type Expr, type Signal, cat, constant, mux } from '../dsl/expr.ts';
import type { Module } from '../dsl/module.ts';
import type { AxiPorts } from './axiPorts.ts';

export interface AxiRegs {
  /** One-cycle pulse: CTRL.START written while idle. */
  readonly start: Expr;
  readonly nLayers: Signal;
  readonly bases: Readonly<Record<'prog' | 'weights' | 'params' | 'input' | 'output' | 'acts', Signal>>;
}

/** `status`: the counters and flags the engine reports; `busy` blocks a second START. */
export function axiLiteRegs(m: Module, c: AccelConfig, p: AxiPorts, view: { busy: Expr; done: Expr; error: Expr; layerStall: Expr; counters: Readonly<Record<'CYCLES' | 'COMPUTE_CYCLES' | 'STALL_CYCLES' | 'MACS' | 'BYTES_READ' | 'BYTES_WRITTEN', Expr>> }): AxiRegs & { clearDone: Expr; irqEnable: Signal; layerSel: Signal } {
  const u32 = unsigned(32);
  const k = (v: number, w: number): Expr => constant(v, unsigned(w));
  const a = p.axil;
  const off = (n: AxiRegisterName): number => AXI_REGISTERS.find((r) => r.name === n)!.offset;
  // ---- writes ----
  const bValid = m.reg('axil_bvalid', unsigned(1));
  const wTake = m.wire('axil_wtake', a.awvalid.and(a.wvalid).and(bValid.not()));
  m.assign(a.awready, wTake);
  m.assign(a.wready, wTake);
  m.update(bValid, mux(wTake, k(1, 1), mux(a.bready, k(0, 1), bValid)));
  m.assign(a.bvalid, bValid);
  m.assign(a.bresp, k(0, 2));
  m.markUnused(a.wstrb);
  const wAt = (n: AxiRegisterName): Expr => wTake.and(a.awaddr.slice(7, 2).eq(off(n) >> 2));
  const rw = (n: AxiRegisterName, name: string): Signal => {
    const r = m.reg(name, u32);
    m.update(r, a.wdata, { enable: wAt(n) });
    return r;
  };
  const nLayers = rw('NLAYERS', 'reg_nlayers');
  const layerSel = rw('LAYER_SEL', 'reg_layer_sel');
  const bases = { prog: rw('PROG_BASE', 'reg_prog_base'), weights: rw('WEIGHT_BASE', 'reg_weight_base'), params: rw('PARAM_BASE', 'reg_param_base'), input: rw('INPUT_BASE', 'reg_input_base'), output: rw('OUTPUT_BASE', 'reg_output_base'), acts: rw('ACT_BASE', 'reg_act_base') };
  const irqEnable = m.reg('reg_irq_en', unsigned(1));
  m.update(irqEnable, a.wdata.bit(1), { enable: wAt('CTRL') });
  void CTRL_IRQ_ENABLE;
  const start = m.wire('start_pulse', wAt('CTRL').and(a.wdata.bit(0).eq(CTRL_START & 1)).and(view.busy.not()));
  const clearDone = wAt('STATUS').and(a.wdata.bit(1).eq(STATUS_DONE >> 1));
  // ---- reads ----
  const rValid = m.reg('axil_rvalid', unsigned(1));
  const rData = m.reg('axil_rdata', u32);
  const arTake = a.arvalid.and(rValid.not());
  m.assign(a.arready, rValid.not());
  m.update(rValid, mux(arTake, k(1, 1), mux(a.rready, k(0, 1), rValid)));
  const lit = (v: number): Expr => constant(v >>> 0, u32);
  const value: Readonly<Record<AxiRegisterName, Expr>> = {
    CTRL: cat(irqEnable, k(0, 1)).resize(u32),
    STATUS: cat(view.error, view.done, view.busy).resize(u32),
    ID: lit(AXI_ID_VALUE),
    HWCFG: lit(axiConfigWords(c).hwcfg),
    BUFCFG: lit(axiConfigWords(c).bufcfg),
    NLAYERS: nLayers, PROG_BASE: bases.prog, WEIGHT_BASE: bases.weights, PARAM_BASE: bases.params, INPUT_BASE: bases.input, OUTPUT_BASE: bases.output,
    CYCLES: view.counters.CYCLES.resize(u32), COMPUTE_CYCLES: view.counters.COMPUTE_CYCLES.resize(u32), STALL_CYCLES: view.counters.STALL_CYCLES.resize(u32),
    MACS: view.counters.MACS.resize(u32), BYTES_READ: view.counters.BYTES_READ.resize(u32), BYTES_WRITTEN: view.counters.BYTES_WRITTEN.resize(u32),
    LAYER_SEL: layerSel, LAYER_STALL: view.layerStall.resize(u32), ACT_BASE: bases.acts,
  };
  const sel = a.araddr.slice(7, 2);
  const readValue = AXI_REGISTERS.reduceRight<Expr>((acc, r) => mux(sel.eq(r.offset >> 2), value[r.name], acc), lit(0));
  m.update(rData, readValue, { enable: arTake });
  m.assign(a.rvalid, rValid);
  m.assign(a.rdata, rData);
  m.assign(a.rresp, k(0, 2));
  return { start, nLayers, bases, clearDone, irqEnable, layerSel };
}
