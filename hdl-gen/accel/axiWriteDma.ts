/**
 * The AXI build's write DMA: after the last layer, the output tensor's
 * activation words are read from the activation RAM (synchronous read: a word
 * is valid once its address has been held a cycle) and written in bursts of at
 * most axiMaxBurst beats that never cross a 4 KiB boundary (AW, then its W
 * beats; WSTRB all ones; each word ceil(bits / data bits) beats). Done when
 * every B response is in.
 */
import { unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, actPacking, actWordWidth, axiSettings, wordBeats } from '../../src/accel/index.ts';
import { type Expr, type Signal, cat, constant, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';
import type { AxiPorts } from './axiPorts.ts';
import type { DmaView } from './axiDma.ts';
import { wideSlice } from './wideSlice.ts';
import { beatShift, burstBeats } from './axiBurst.ts';
import { writeGearbox } from './axiGearbox.ts';

export interface WriteDma {
  readonly outDone: Expr;
  readonly outReadAddr: Expr;
  /** W and B handshakes (the byte counter and the error flag count them). */
  readonly wHs: Expr;
  readonly bHs: Expr;
}


export function axiWriteDma(m: Module, c: AccelConfig, p: AxiPorts, outputBase: Expr, v: DmaView): WriteDma {
  const s = axiSettings(c);
  const b = wordBeats(c);
  const DB = s.dataBits;
  const CB = 32;
  const u = (w: number): Shape => unsigned(w);
  const k = (val: number, w: number): Expr => constant(val, u(w));
  const reg = (n: string, sh: Shape): Signal => m.reg(n, sh);
  const set = (r: Signal, val: Expr, enable?: Expr): void => m.update(r, val.resize(r.shape), enable ? { enable } : {});
  const x = p.axi;
  const A = c.actAddrBits;
  const oWord = reg('wr_word', u(A + 1));
  // The plain build's beat within the word being sent (the spill build's write gearbox counts bytes instead).
  const oBeat = c.spill === true ? undefined : reg('wr_beat', u(8));
  const awLeft = reg('wr_aw_left', u(CB));
  const awAddr = reg('wr_aw_addr', u(32));
  const burstLeft = reg('wr_burst_left', u(9));
  const bPending = reg('wr_b_pending', u(CB));
  const awValid = reg('wr_awvalid', u(1));
  const awAddrReg = reg('wr_awaddr', u(32));
  const awLenReg = reg('wr_awlen', u(8));
  const dataOk = reg('wr_data_ok', u(1));
  const wBurst = m.wire('wr_burst', burstBeats(s, awAddr, awLeft, CB));
  const awIssue = m.wire('wr_aw_issue', v.inOut.and(awLeft.ne(0)).and(awValid.not()).and(burstLeft.eq(0)));
  const awHs = awValid.and(x.awready);
  // Spill build (a write per band): the word being sent is held in a buffer while the RAM already
  // reads the next one, so a word of two or more beats leaves no bubble (the plain build re-reads
  // the RAM per word: one idle cycle per word, which only its one output write pays).
  const spill = c.spill === true;
  const buf = spill ? m.reg('wr_buf', bus(actWordWidth(c))) : undefined;
  const bufValid = spill ? m.reg('wr_buf_valid', u(1)) : undefined;
  const gear = spill ? spillWrite(m, c, v, { outputBase, oWord, dataOk, buf: buf!, bufValid: bufValid!, burstLeft }) : undefined;
  const wValid = v.inOut.and(burstLeft.ne(0)).and(gear?.beatReady ?? dataOk);
  const wHs = m.wire('wr_w_hs', wValid.and(x.wready));
  gear?.connect(wHs);
  const bHs = v.inOut.and(x.bvalid);
  const outBeats = gear?.beats ?? v.F('outWords').mul(b.acts).resize(u(CB));
  set(awLeft, mux(v.enterOut, outBeats, awLeft.sub(wBurst)), v.enterOut.or(awIssue));
  set(awAddr, mux(v.enterOut, gear?.alignedBase ?? outputBase, awAddr.add(wBurst.shl(beatShift(s)))), v.enterOut.or(awIssue));
  set(awValid, mux(awIssue, k(1, 1), mux(awHs, k(0, 1), awValid)));
  set(awAddrReg, awAddr, awIssue);
  set(awLenReg, wBurst.sub(1), awIssue);
  set(burstLeft, mux(awIssue, wBurst, burstLeft.sub(1)), awIssue.or(wHs));
  set(bPending, mux(v.enterOut, k(0, 1), bPending.add(mux(awIssue, k(1, 1), k(0, 1))).sub(mux(bHs, k(1, 1), k(0, 1)))), v.enterOut.or(awIssue).or(bHs));
  let wData: Expr;
  let wStrb: Expr = constant((1n << BigInt(s.dataBytes)) - 1n, u(s.dataBytes));
  if (gear !== undefined) {
    wData = gear.wdata;
    wStrb = gear.wstrb;
  } else {
    if (oBeat === undefined) throw new Error('axiWriteDma: no beat counter in a plain build (this is a bug)');
    const wordEnd = wHs.and(oBeat.add(1).eq(b.acts));
    set(oBeat, mux(v.enterOut.or(wordEnd), k(0, 1), oBeat.add(1)), v.enterOut.or(wHs));
    set(oWord, mux(v.enterOut, k(0, 1), oWord.add(1)), v.enterOut.or(wordEnd));
    // The activation RAM reads synchronously: its data is this word's once the address has been held a cycle.
    set(dataOk, v.inOut.and(wordEnd.not()).and(v.enterOut.not()));
    const actBits = actWordWidth(c);
    const beatData = Array.from({ length: b.acts }, (_, i) => {
      const hi = Math.min(actBits - 1, (i + 1) * DB - 1);
      return wideSlice(v.actData, hi, i * DB).resize(bus(DB));
    });
    wData = beatData.reduceRight<Expr>((acc, d, i) => mux(oBeat.eq(i), d, acc), beatData[0]!);
  }
  m.assign(x.awvalid, awValid);
  m.assign(x.awaddr, awAddrReg);
  m.assign(x.awlen, awLenReg);
  m.assign(x.awsize, k(beatShift(s), 3));
  m.assign(x.awburst, k(1, 2));
  m.assign(x.wvalid, wValid);
  m.assign(x.wdata, wData);
  m.assign(x.wstrb, wStrb);
  m.assign(x.wlast, burstLeft.eq(1));
  m.assign(x.bready, v.inOut);
  const outDone = m.wire('wr_done', v.inOut.and(awLeft.eq(0)).and(burstLeft.eq(0)).and(awValid.not()).and(bPending.eq(0)).and(v.enterOut.not()));
  return { outDone, outReadAddr: v.F('outBase').sub(v.F('outGroup0')).add(oWord).resize(u(A)), wHs, bHs };
}

/**
 * Spill build: the band's words leave through the write gearbox (axiGearbox.ts): packed `stride`
 * bytes apart in the activation region from the band's byte offset (its first beat from the byte
 * `lead` within it, WSTRB naming exactly the band's bytes), or whole beats per word in the output
 * region (the last layer's bands).
 */
function spillWrite(m: Module, c: AccelConfig, v: DmaView, r: { outputBase: Expr; oWord: Signal; dataOk: Signal; buf: Signal; bufValid: Signal; burstLeft: Signal }) {
  const s = axiSettings(c);
  const b = wordBeats(c);
  const pk = actPacking(c);
  const A = c.actAddrBits;
  const CB = 32;
  const u = (w: number): Shape => unsigned(w);
  const k = (val: number, w: number): Expr => constant(val, u(w));
  const lg = beatShift(s);
  // The engine's descriptor moves on during the drain: the region kind is kept from the hand-over.
  const packedHeld = m.reg('wr_packed', u(1));
  m.update(packedHeld, v.F('wrOut').eq(0), { enable: v.enterOut });
  const packed = mux(v.enterOut, v.F('wrOut').eq(0), packedHeld);
  const lead = r.outputBase.slice(lg - 1, 0);
  const alignedBase = cat(r.outputBase.slice(31, lg), k(0, lg));
  const stride = mux(packed, k(pk.stride, 16), k(b.acts * s.dataBytes, 16));
  const beats = lead.resize(u(CB)).add(v.F('outWords').mul(stride)).add(s.dataBytes - 1).shr(lg).resize(u(CB));
  const allIn = r.oWord.eq(v.F('outWords').resize(u(A + 1)));
  const wHsWire = m.wire('wr_gb_whs', u(1));
  const gb = writeGearbox(m, pk, b.acts, { begin: v.enterOut, lead, packed, word: r.buf, wordValid: r.bufValid, allIn, wHs: wHsWire });
  // oWord is the word the RAM is reading; dataOk: its address has been held a cycle, so actData is it.
  const take = m.wire('wr_buf_take', v.inOut.and(r.dataOk).and(r.oWord.lt(v.F('outWords').resize(u(A + 1)))).and(r.bufValid.not().or(gb.take)));
  m.update(r.buf, v.actData.resize(r.buf.shape), { enable: take });
  m.update(r.bufValid, mux(v.enterOut, k(0, 1), mux(take, k(1, 1), mux(gb.take, k(0, 1), r.bufValid))).resize(u(1)));
  m.update(r.oWord, mux(v.enterOut, k(0, 1), r.oWord.add(1)).resize(r.oWord.shape), { enable: v.enterOut.or(take) });
  m.update(r.dataOk, v.inOut.and(take.not()).and(v.enterOut.not()).resize(u(1)));
  return {
    beatReady: gb.beatReady, wdata: gb.wdata, wstrb: gb.wstrb, beats, alignedBase,
    connect: (wHs: Expr): void => m.assign(wHsWire, wHs),
  };
}
