/**
 * The AXI build's control around the unchanged layer engine (generate.ts):
 * the AXI4-Lite register file, the DMA, the counters, the state machine and
 * the interrupt. IDLE (the on-chip LOADWAIT state) waits for CTRL.START; FETCH
 * waits until the layer's weight and parameter words are in its buffer half
 * (those cycles are stall cycles); RUN and DRAIN are the on-chip engine's, so
 * the compute cycles equal the on-chip cycle model; OUT writes the output
 * tensor to memory, then DONE is set (and irq, when enabled).
 */
import { unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, DRAIN_CYCLES, actWordWidth, axiSettings } from '../../src/accel/index.ts';
import { type Expr, type Signal, constant, mux } from '../dsl/expr.ts';
import type { Module } from '../dsl/module.ts';
import type { AxiPorts, MemWritePort } from './axiPorts.ts';
import { axiDma } from './axiDma.ts';
import { axiLiteRegs } from './axiLiteRegs.ts';
import { actBanks } from './axiActBanks.ts';
import { bus } from '../dsl/busShape.ts';
import { ST } from './engineStates.ts';

export interface EngineCore {
  readonly state: Signal;
  readonly layer: Signal;
  readonly F: (name: string) => Expr;
  readonly actData: Signal;
  readonly ramWrite: { readonly enable: Signal; readonly addr: Signal; readonly data: Signal };
  readonly ramReadAddr: Signal;
  /** Stage W of the pipeline: a result word to write back. */
  readonly wValid: Signal;
  readonly wAddr: Signal;
  readonly wWord: Signal;
  /** Valid lanes of the written word (only the on-chip build's per-layer counters read it). */
  readonly wLanes: Signal;
  readonly runActAddr: Expr;
  readonly running: Expr;
  readonly lastTap: Expr;
  readonly tapMacs: Expr;
}

export function axiControl(m: Module, c: AccelConfig, ports: AxiPorts, dmaPorts: { program: MemWritePort; weights: MemWritePort; params: MemWritePort }, e: EngineCore): void {
  const u = (w: number): Shape => unsigned(w);
  const k = (v: number, w: number): Expr => constant(v, u(w));
  const set = (r: Signal, v: Expr, enable?: Expr): void => m.update(r, v.resize(r.shape), enable ? { enable } : {});
  const is = (s: number): Expr => e.state.eq(s);
  m.markUnused(e.wLanes);

  const drain = m.reg('drain', u(3));
  set(drain, mux(is(ST.DRAIN), drain.add(1), k(0, 1)));
  const layerEnd = is(ST.DRAIN).and(drain.eq(DRAIN_CYCLES - 1));
  const isLast = e.F('last').eq(1);
  // Spill build: a descriptor marked wr writes its band's output words after its drain (OUT), then the next one runs.
  const spill = c.spill === true;
  const writes = spill ? isLast.or(e.F('wr').eq(1)) : isLast;
  const enterOut = m.wire('enter_out', layerEnd.and(writes));
  const inOut = is(ST.OUT);
  const busy = m.wire('engine_busy', e.state.ne(ST.LOADWAIT));

  // Counters (32 bits: the register width), cleared by START.
  const c32 = (n: string): Signal => m.reg(n, u(32));
  const cycles = c32('cnt_cycles');
  const compute = c32('cnt_compute');
  const stall = c32('cnt_stall');
  const macs = c32('cnt_macs');
  const done = m.reg('done_sticky', u(1));
  const error = m.wire('status_error', u(1));
  const bytesRead = m.wire('cnt_bytes_read', u(32));
  const bytesWritten = m.wire('cnt_bytes_written', u(32));
  const layerStallRead = m.wire('layer_stall_rd', u(32));
  const regs = axiLiteRegs(m, c, ports, { busy, done, error, layerStall: layerStallRead, counters: { CYCLES: cycles, COMPUTE_CYCLES: compute, STALL_CYCLES: stall, MACS: macs, BYTES_READ: bytesRead, BYTES_WRITTEN: bytesWritten } });
  // A START the engine cannot run (NLAYERS 0 or beyond the program buffer, a base not aligned to the
  // bus width) ends at once with DONE and ERROR instead of reading garbage or waiting forever.
  const alignBits = Math.log2(axiSettings(c).dataBytes);
  const bases = [regs.bases.prog, regs.bases.weights, regs.bases.params, regs.bases.input, regs.bases.output, ...(spill ? [regs.bases.acts] : [])];
  const misaligned = alignBits === 0 ? k(0, 1) : bases.map((b) => b.slice(alignBits - 1, 0).ne(0)).reduce((a, b) => a.or(b));
  const badSetup = regs.nLayers.eq(0).or(regs.nLayers.gt(2 ** c.progAddrBits)).or(misaligned);
  const refused = m.wire('start_refused', regs.start.and(badSetup));
  const start = m.wire('start_ok', regs.start.and(badSetup.not()));
  const setupError = m.reg('setup_error', u(1));
  set(setupError, refused, regs.start);
  // Spill build: OUT hands the band's output to the write engine (kick) as soon as it is idle, and the
  // engine goes on with the next band while it drains; the RAM is two banks (axiActBanks.ts).
  const kick = spill ? m.wire('wr_kick', u(1)) : undefined;
  const drainData = spill ? m.wire('act_drain_data', bus(actWordWidth(c))) : undefined;
  const dma = axiDma(m, c, ports, { ...regs, start }, dmaPorts, { layer: e.layer, F: e.F, actData: drainData ?? e.actData, enterOut, inOut, ...(kick !== undefined && drainData !== undefined ? { kick, drainData } : {}) });
  let finished: Expr = dma.outDone;
  let handedOn: Expr = k(0, 1);
  if (kick !== undefined && drainData !== undefined && dma.wrBusy !== undefined) {
    const kicked = m.reg('wr_kicked', u(1));
    m.assign(kick, inOut.and(dma.wrBusy.not()).and(kicked.not()));
    set(kicked, mux(enterOut, k(0, 1), mux(kick, k(1, 1), kicked)));
    // The last band waits for its own write's B responses before DONE.
    finished = m.wire('run_finished', inOut.and(kicked).and(dma.wrBusy.not()).and(isLast));
    handedOn = kick.and(isLast.not());
    const banks = actBanks(m, c, { engineWrite: { enable: e.wValid, addr: e.wAddr, data: e.wWord }, engineRead: e.runActAddr, fill: e.ramWrite, drainRead: e.ramReadAddr, drainActive: dma.wrBusy }, e.actData);
    m.assign(drainData, banks.drainData);
  }
  m.assign(error, dma.error.or(setupError));
  m.assign(bytesRead, dma.bytesRead);
  m.assign(bytesWritten, dma.bytesWritten);

  const stalled = is(ST.FETCH).and(dma.layerReady.not());
  const computing = is(ST.FETCH).and(dma.layerReady).or(e.running).or(is(ST.DRAIN));
  const count = (r: Signal, by: Expr, when: Expr): void => set(r, mux(start, k(0, 1), r.add(by)), start.or(when));
  count(cycles, k(1, 1), busy);
  count(compute, k(1, 1), computing);
  count(stall, k(1, 1), stalled);
  // Per-descriptor stall cycles, kept in a small RAM (written as the layer leaves FETCH), read through LAYER_SEL.
  const PA = c.progAddrBits;
  const layerStall = m.reg('layer_stall', u(32));
  const leaveFetch = is(ST.FETCH).and(dma.layerReady);
  set(layerStall, mux(start.or(leaveFetch), k(0, 1), layerStall.add(1)), start.or(leaveFetch).or(stalled));
  m.assign(layerStallRead, m.ram('layer_stalls', { shape: u(32), writeAddr: e.layer.resize(u(PA)), writeData: layerStall, writeEnable: leaveFetch, readAddr: regs.layerSel.resize(u(PA)), read: 'async' }));
  count(macs, e.tapMacs, e.running);
  set(done, mux(finished.or(refused), k(1, 1), k(0, 1)), finished.or(regs.start).or(regs.clearDone));
  m.assign(ports.irq, done.and(regs.irqEnable));

  if (spill) {
    // The banks' DMA side: the fill and the drain's read address.
    m.assign(e.ramWrite.enable, dma.actWrite.enable);
    m.assign(e.ramWrite.addr, dma.actWrite.addr);
    m.assign(e.ramWrite.data, dma.actWrite.data);
    m.assign(e.ramReadAddr, dma.outReadAddr);
  } else {
    // The activation RAM: the DMA writes the input before the first layer runs; the engine writes results.
    m.assign(e.ramWrite.enable, dma.actWrite.enable.or(e.wValid));
    m.assign(e.ramWrite.addr, mux(dma.actWrite.enable, dma.actWrite.addr, e.wAddr));
    m.assign(e.ramWrite.data, mux(dma.actWrite.enable, dma.actWrite.data, e.wWord));
    m.assign(e.ramReadAddr, mux(inOut, dma.outReadAddr, e.runActAddr));
  }

  const nextLayer = spill ? layerEnd.and(writes.not()).or(handedOn) : layerEnd.and(isLast.not());
  set(e.layer, mux(nextLayer, e.layer.add(1), k(0, 1)), nextLayer.or(finished).or(is(ST.LOADWAIT)));
  const S = (v: number): Expr => k(v, 3);
  const next = mux(is(ST.LOADWAIT), mux(start, S(ST.FETCH), S(ST.LOADWAIT)),
    mux(is(ST.FETCH), mux(dma.layerReady, S(ST.RUN), S(ST.FETCH)),
      mux(e.running, mux(e.lastTap, S(ST.DRAIN), S(ST.RUN)),
        mux(is(ST.DRAIN), mux(layerEnd, mux(writes, S(ST.OUT), S(ST.FETCH)), S(ST.DRAIN)),
          spill ? mux(finished, S(ST.LOADWAIT), mux(handedOn, S(ST.FETCH), e.state)) : mux(dma.outDone, S(ST.LOADWAIT), e.state)))));
  set(e.state, next);
}
