/**
 * The AXI build's write DMA: after the last layer, the output tensor's
 * activation words are read from the activation RAM (synchronous read: a word
 * is valid once its address has been held a cycle) and written in bursts of at
 * most axiMaxBurst beats that never cross a 4 KiB boundary (AW, then its W
 * beats; WSTRB all ones; each word ceil(bits / data bits) beats). Done when
 * every B response is in.
 */
import { unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, actWordWidth, axiSettings, wordBeats } from '../../src/accel/index.ts';
import { type Expr, type Signal, constant, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';
import type { AxiPorts } from './axiPorts.ts';
import type { DmaView } from './axiDma.ts';
import { wideSlice } from './wideSlice.ts';

export interface WriteDma {
  readonly outDone: Expr;
  readonly outReadAddr: Expr;
  /** W and B handshakes (the byte counter and the error flag count them). */
  readonly wHs: Expr;
  readonly bHs: Expr;
}

const log2 = (n: number): number => Math.round(Math.log2(n));

export function axiWriteDma(m: Module, c: AccelConfig, p: AxiPorts, outputBase: Expr, v: DmaView): WriteDma {
  const s = axiSettings(c);
  const b = wordBeats(c);
  const DB = s.dataBits;
  const CB = 32;
  const u = (w: number): Shape => unsigned(w);
  const k = (val: number, w: number): Expr => constant(val, u(w));
  const reg = (n: string, sh: Shape): Signal => m.reg(n, sh);
  const set = (r: Signal, val: Expr, enable?: Expr): void => m.update(r, val.resize(r.shape), enable ? { enable } : {});
  const minE = (a: Expr, bb: Expr): Expr => mux(a.lt(bb), a, bb);
  const x = p.axi;
  const A = c.actAddrBits;
  const oWord = reg('wr_word', u(A + 1));
  const oBeat = reg('wr_beat', u(8));
  const awLeft = reg('wr_aw_left', u(CB));
  const awAddr = reg('wr_aw_addr', u(32));
  const burstLeft = reg('wr_burst_left', u(9));
  const bPending = reg('wr_b_pending', u(CB));
  const awValid = reg('wr_awvalid', u(1));
  const awAddrReg = reg('wr_awaddr', u(32));
  const awLenReg = reg('wr_awlen', u(8));
  const dataOk = reg('wr_data_ok', u(1));
  const wToPage = k(4096, 13).sub(awAddr.slice(11, 0)).resize(u(13)).shr(log2(s.dataBytes));
  const wBurst = m.wire('wr_burst', minE(minE(k(s.maxBurst, 9).resize(u(CB)), awLeft), wToPage.resize(u(CB))).resize(u(9)));
  const awIssue = m.wire('wr_aw_issue', v.inOut.and(awLeft.ne(0)).and(awValid.not()).and(burstLeft.eq(0)));
  const awHs = awValid.and(x.awready);
  // Spill build (a write per band): the word being sent is held in a buffer while the RAM already
  // reads the next one, so a word of two or more beats leaves no bubble (the plain build re-reads
  // the RAM per word: one idle cycle per word, which only its one output write pays).
  const spill = c.spill === true;
  const buf = spill ? m.reg('wr_buf', bus(actWordWidth(c))) : undefined;
  const bufValid = spill ? m.reg('wr_buf_valid', u(1)) : undefined;
  const wValid = v.inOut.and(burstLeft.ne(0)).and(bufValid ?? dataOk);
  const wHs = m.wire('wr_w_hs', wValid.and(x.wready));
  const bHs = v.inOut.and(x.bvalid);
  const outBeats = v.F('outWords').mul(b.acts).resize(u(CB));
  set(awLeft, mux(v.enterOut, outBeats, awLeft.sub(wBurst)), v.enterOut.or(awIssue));
  set(awAddr, mux(v.enterOut, outputBase, awAddr.add(wBurst.shl(log2(s.dataBytes)))), v.enterOut.or(awIssue));
  set(awValid, mux(awIssue, k(1, 1), mux(awHs, k(0, 1), awValid)));
  set(awAddrReg, awAddr, awIssue);
  set(awLenReg, wBurst.sub(1), awIssue);
  set(burstLeft, mux(awIssue, wBurst, burstLeft.sub(1)), awIssue.or(wHs));
  set(bPending, mux(v.enterOut, k(0, 1), bPending.add(mux(awIssue, k(1, 1), k(0, 1))).sub(mux(bHs, k(1, 1), k(0, 1)))), v.enterOut.or(awIssue).or(bHs));
  const wordEnd = wHs.and(oBeat.add(1).eq(b.acts));
  set(oBeat, mux(v.enterOut.or(wordEnd), k(0, 1), oBeat.add(1)), v.enterOut.or(wHs));
  let source: Expr = v.actData;
  if (buf !== undefined && bufValid !== undefined) {
    // oWord is the word the RAM is reading; dataOk: its address has been held a cycle, so actData is it.
    const take = m.wire('wr_buf_take', v.inOut.and(dataOk).and(oWord.lt(v.F('outWords').resize(u(A + 1)))).and(bufValid.not().or(wordEnd)));
    set(buf, v.actData, take);
    set(bufValid, mux(v.enterOut, k(0, 1), mux(take, k(1, 1), mux(wordEnd, k(0, 1), bufValid))));
    set(oWord, mux(v.enterOut, k(0, 1), oWord.add(1)), v.enterOut.or(take));
    set(dataOk, v.inOut.and(take.not()).and(v.enterOut.not()));
    source = buf;
  } else {
    set(oWord, mux(v.enterOut, k(0, 1), oWord.add(1)), v.enterOut.or(wordEnd));
    // The activation RAM reads synchronously: its data is this word's once the address has been held a cycle.
    set(dataOk, v.inOut.and(wordEnd.not()).and(v.enterOut.not()));
  }
  const actBits = actWordWidth(c);
  const beatData = Array.from({ length: b.acts }, (_, i) => {
    const hi = Math.min(actBits - 1, (i + 1) * DB - 1);
    return wideSlice(source, hi, i * DB).resize(bus(DB));
  });
  const wData = beatData.reduceRight<Expr>((acc, d, i) => mux(oBeat.eq(i), d, acc), beatData[0]!);
  m.assign(x.awvalid, awValid);
  m.assign(x.awaddr, awAddrReg);
  m.assign(x.awlen, awLenReg);
  m.assign(x.awsize, k(log2(s.dataBytes), 3));
  m.assign(x.awburst, k(1, 2));
  m.assign(x.wvalid, wValid);
  m.assign(x.wdata, wData);
  m.assign(x.wstrb, constant((1n << BigInt(s.dataBytes)) - 1n, u(s.dataBytes)));
  m.assign(x.wlast, burstLeft.eq(1));
  m.assign(x.bready, v.inOut);
  const outDone = m.wire('wr_done', v.inOut.and(awLeft.eq(0)).and(burstLeft.eq(0)).and(awValid.not()).and(bPending.eq(0)).and(v.enterOut.not()));
  return { outDone, outReadAddr: v.F('outBase').sub(v.F('outGroup0')).add(oWord).resize(u(A)), wHs, bHs };
}
