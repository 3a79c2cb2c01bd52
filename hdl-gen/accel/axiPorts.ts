/**
 * The AXI build's ports (Vivado block-design naming: s_axil_* is the AXI4-Lite
 * control slave, m_axi_* the AXI4 memory master, irq the interrupt) and the
 * write ports of the on-chip memories that the DMA drives (declared before the
 * memories, driven by axiDma.ts after the sequencer exists).
 */
import { unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, AXIL_ADDR_BITS, axiSettings } from '../../src/accel/index.ts';
import type { Signal } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';

export interface MemWritePort {
  readonly enable: Signal;
  readonly addr: Signal;
  readonly data: Signal;
}

export interface AxiPorts {
  readonly axil: Readonly<Record<'awvalid' | 'awready' | 'awaddr' | 'wvalid' | 'wready' | 'wdata' | 'wstrb' | 'bvalid' | 'bready' | 'bresp' | 'arvalid' | 'arready' | 'araddr' | 'rvalid' | 'rready' | 'rdata' | 'rresp', Signal>>;
  readonly axi: Readonly<Record<
    'arvalid' | 'arready' | 'araddr' | 'arlen' | 'arsize' | 'arburst' | 'rvalid' | 'rready' | 'rdata' | 'rresp' | 'rlast' |
    'awvalid' | 'awready' | 'awaddr' | 'awlen' | 'awsize' | 'awburst' | 'wvalid' | 'wready' | 'wdata' | 'wstrb' | 'wlast' | 'bvalid' | 'bready' | 'bresp', Signal>>;
  readonly irq: Signal;
}

export function declareAxiPorts(m: Module, c: AccelConfig): AxiPorts {
  const s = axiSettings(c);
  const u = (w: number): Shape => unsigned(w);
  const i = (n: string, sh: Shape): Signal => m.input(n, sh);
  const o = (n: string, sh: Shape): Signal => m.output(n, sh);
  const axil = {
    awvalid: i('s_axil_awvalid', u(1)), awready: o('s_axil_awready', u(1)), awaddr: i('s_axil_awaddr', u(AXIL_ADDR_BITS)),
    wvalid: i('s_axil_wvalid', u(1)), wready: o('s_axil_wready', u(1)), wdata: i('s_axil_wdata', u(32)), wstrb: i('s_axil_wstrb', u(4)),
    bvalid: o('s_axil_bvalid', u(1)), bready: i('s_axil_bready', u(1)), bresp: o('s_axil_bresp', u(2)),
    arvalid: i('s_axil_arvalid', u(1)), arready: o('s_axil_arready', u(1)), araddr: i('s_axil_araddr', u(AXIL_ADDR_BITS)),
    rvalid: o('s_axil_rvalid', u(1)), rready: i('s_axil_rready', u(1)), rdata: o('s_axil_rdata', u(32)), rresp: o('s_axil_rresp', u(2)),
  };
  const A = s.addrBits;
  const axi = {
    arvalid: o('m_axi_arvalid', u(1)), arready: i('m_axi_arready', u(1)), araddr: o('m_axi_araddr', u(A)), arlen: o('m_axi_arlen', u(8)), arsize: o('m_axi_arsize', u(3)), arburst: o('m_axi_arburst', u(2)),
    rvalid: i('m_axi_rvalid', u(1)), rready: o('m_axi_rready', u(1)), rdata: i('m_axi_rdata', bus(s.dataBits)), rresp: i('m_axi_rresp', u(2)), rlast: i('m_axi_rlast', u(1)),
    awvalid: o('m_axi_awvalid', u(1)), awready: i('m_axi_awready', u(1)), awaddr: o('m_axi_awaddr', u(A)), awlen: o('m_axi_awlen', u(8)), awsize: o('m_axi_awsize', u(3)), awburst: o('m_axi_awburst', u(2)),
    wvalid: o('m_axi_wvalid', u(1)), wready: i('m_axi_wready', u(1)), wdata: o('m_axi_wdata', bus(s.dataBits)), wstrb: o('m_axi_wstrb', u(s.dataBytes)), wlast: o('m_axi_wlast', u(1)),
    bvalid: i('m_axi_bvalid', u(1)), bready: o('m_axi_bready', u(1)), bresp: i('m_axi_bresp', u(2)),
  };
  return { axil, axi, irq: o('irq', u(1)) };
}

/** Wires for one memory's write port, driven later by the DMA. */
export function memWritePort(m: Module, name: string, addrBits: number, dataBits: number): MemWritePort {
  return { enable: m.wire(`${name}_we`, unsigned(1)), addr: m.wire(`${name}_waddr`, unsigned(addrBits)), data: m.wire(`${name}_wdata`, bus(dataBits)) };
}
