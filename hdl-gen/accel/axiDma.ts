/**
 * The AXI build's DMA (m_axi_*): a read engine that fills the on-chip memories
 * and a write engine that stores the output tensor.
 *
 * Read jobs, in order: the layer program (NLAYERS descriptors), the input
 * tensor (into the activation RAM), then per layer j its weight words and its
 * parameter words, each into buffer half j mod 2. Layer j's words may load
 * while layer j-1 computes (the other half), never while layer j-2 still
 * computes (same half): so loading runs one layer ahead, and a layer's FETCH
 * waits (stall) only until its own words are all there (`layerReady`).
 * Within a job, read bursts are issued while up to axiMaxOutstanding are in
 * flight (address and data overlap); a burst is at most axiMaxBurst beats and
 * never crosses a 4 KiB boundary. The next job starts when the last beat of
 * the current one has arrived (a latency bubble per job; see docs).
 * Every on-chip word is ceil(bits / data bits) beats (src/accel/axiSettings.ts):
 * beats shift into one assembly register, and the word is written to its
 * memory on its last beat.
 * The write job is axiWriteDma.ts. A response other than OKAY sets `error`
 * (sticky); the run still completes.
 */
import { unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, actPacking, actWordWidth, axiSettings, descriptorFields, descriptorWidth, inputElementBytes, laneCountBits, paramWordWidth, weightWordWidth, wordBeats } from '../../src/accel/index.ts';
import { type Expr, type Signal, cat, constant, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';
import type { AxiPorts, MemWritePort } from './axiPorts.ts';
import type { AxiRegs } from './axiLiteRegs.ts';
import { wideSlice } from './wideSlice.ts';
import { beatShift, burstBeats } from './axiBurst.ts';
import { readGearbox } from './axiGearbox.ts';
import { axiWriteDma } from './axiWriteDma.ts';

export interface DmaView {
  /** The compute engine's current layer. */
  readonly layer: Signal;
  /** Descriptor fields of the current layer. */
  readonly F: (name: string) => Expr;
  /** Activation RAM read data (sync, one cycle after the address). */
  readonly actData: Expr;
  /** One-cycle pulse: the last layer's drain ended, the output is in the activation RAM. */
  readonly enterOut: Expr;
  /** The engine is in its output state. */
  readonly inOut: Expr;
  /** Spill build: the engine hands its band's write to the write engine (one-cycle pulse, in the output state), and the drain's RAM data. */
  readonly kick?: Expr;
  readonly drainData?: Expr;
}

export interface DmaResult {
  readonly layerReady: Expr;
  /** The write engine's last B response arrived (in the output state). */
  readonly outDone: Expr;
  readonly actWrite: { readonly enable: Expr; readonly addr: Expr; readonly data: Expr };
  readonly outReadAddr: Expr;
  readonly error: Signal;
  readonly bytesRead: Signal;
  readonly bytesWritten: Signal;
  /** Spill build: the write engine is draining a band. */
  readonly wrBusy?: Signal;
}


/** log2 of a power of two (elements per input beat). */
const log2 = (n: number): number => Math.round(Math.log2(n));

export function axiDma(m: Module, c: AccelConfig, p: AxiPorts, regs: AxiRegs, ports: { program: MemWritePort; weights: MemWritePort; params: MemWritePort }, v: DmaView): DmaResult {
  const s = axiSettings(c);
  const b = wordBeats(c);
  const DB = s.dataBits;
  const u = (w: number): Shape => unsigned(w);
  const k = (val: number, w: number): Expr => constant(val, u(w));
  const reg = (n: string, sh: Shape): Signal => m.reg(n, sh);
  const set = (r: Signal, val: Expr, enable?: Expr): void => m.update(r, val.resize(r.shape), enable ? { enable } : {});
  const x = p.axi;
  const PA = c.progAddrBits;
  const CB = 32; // beat and word counters: wide enough for any job the address space holds
  const start = regs.start;

  // ---- job sequencing ----
  // The AR side and the R side each walk the same job sequence (program, input, then per layer its
  // weights and parameters): AR issues the next job's bursts while R still receives the current one's
  // beats (reads stay in order, one ID), so a job costs no latency bubble of its own.
  // Spill build: per descriptor its weights, parameters, then its band's input (elements, INPUT) or
  // activation words (ACTA, and ACTB for an add); the program is followed directly by layer 0's weights.
  const spill = c.spill === true;
  const JOB = { PROG: 0, INPUT: 1, WEIGHTS: 2, PARAMS: 3, ACTA: 4, ACTB: 5 } as const;
  const KB = spill ? 3 : 2;
  const dmaOn = reg('dma_running', u(1));
  const arActive = reg('dma_ar_active', u(1));
  const arKind = reg('dma_ar_kind', u(KB));
  const arLayer = reg('dma_ar_layer', u(PA + 1));
  const rKind = reg('dma_r_kind', u(KB));
  const rLayer = reg('dma_r_layer', u(PA + 1));
  const progLoaded = reg('dma_prog_loaded', u(1));
  const loaded = reg('dma_loaded', u(PA + 1));
  const ptrW = reg('dma_ptr_w', u(32));
  const ptrP = reg('dma_ptr_p', u(32));
  const arAddr = reg('dma_ar_addr', u(32));
  const arLeft = reg('dma_ar_left', u(CB));
  const rBeat = reg('dma_r_beat', u(8));
  const rWord = reg('dma_r_word', u(CB));
  const outstanding = reg('dma_outstanding', u(5));
  const arValid = reg('dma_arvalid', u(1));
  const arAddrReg = reg('dma_araddr', u(32));
  const arLenReg = reg('dma_arlen', u(8));
  const error = reg('dma_error', u(1));
  const bytesRead = reg('dma_bytes_read', u(32));
  const bytesWritten = reg('dma_bytes_written', u(32));

  // Per-layer word counts, copied out of each descriptor as it arrives: one copy read by each side.
  const fields = descriptorFields(c);
  const fieldAt = (name: string): { lo: number; width: number } => {
    let at = 0;
    for (const f of fields) {
      if (f.name === name) return { lo: at, width: f.width };
      at += f.width;
    }
    throw new Error(`axiDma: no descriptor field ${name} (this is a bug)`);
  };
  const wW = fieldAt('wWords');
  const pW = fieldAt('pWords');
  // Counts entry: {diagonal, pWords, wWords}; diagonal = the layer is not a convolution (its weight words are diagonals in memory).
  // Spill build: {pOff, wOff, rdKind, diagonal, pWords, wWords}.
  const countsBase = wW.width + pW.width + 1;
  const countsWidth = countsBase + (spill ? 2 + 64 + 1 : 0);
  const countsWrite = { enable: m.wire('dma_counts_we', u(1)), addr: m.wire('dma_counts_waddr', u(PA)), data: m.wire('dma_counts_wdata', u(countsWidth)) };
  const countsAt = (n: string, at: Signal): Signal => m.ram(n, { shape: u(countsWidth), writeAddr: countsWrite.addr, writeData: countsWrite.data, writeEnable: countsWrite.enable, readAddr: at.resize(u(PA)), read: 'async' });
  const countsAr = countsAt('dma_counts_ar', arLayer);
  const countsR = countsAt('dma_counts_r', rLayer);
  // Spill build: a band's input loads while the band before it computes, so the AR and R sides read
  // their own descriptor's band fields (two more read ports of the program: copies of it), not the engine's.
  const descField = (word: Expr, name: string): Expr => {
    const f = fieldAt(name);
    return word.slice(f.lo + f.width - 1, f.lo);
  };
  const copyAt = (n: string, at: Signal): Expr => m.ram(n, { shape: bus(descriptorWidth(c)), writeAddr: ports.program.addr, writeData: ports.program.data, writeEnable: ports.program.enable, readAddr: at.resize(u(PA)), read: 'async' });
  const progAr = spill ? copyAt('dma_prog_ar', arLayer) : undefined;
  const progR = spill ? copyAt('dma_prog_r', rLayer) : undefined;
  const FA = (name: string): Expr => (progAr === undefined ? v.F(name) : descField(progAr, name));
  const FR = (name: string): Expr => (progR === undefined ? v.F(name) : descField(progR, name));
  // The input's words come from layer 0's descriptor (the compute engine sits at layer 0 until the input is in).
  // The input is NHWC elements packed into beats (inputElementBytes); its job counts beats (one "word" each).
  const L = c.lanes;
  const LB = laneCountBits(c);
  const eBytes = inputElementBytes(c);
  const perBeat = s.dataBytes / eBytes;
  const inChannels = m.wire('in_channels', FR('ig').sub(1).mul(L).add(FR('inLast')).resize(u(c.dimBits + LB + 1)));
  const inElems = m.wire('in_elems', v.F('inPixels').mul(inChannels).resize(u(CB)));
  const inputWords = inElems.add(perBeat - 1).shr(log2(perBeat)).resize(u(CB));
  const wordsOf = (kind: Expr, cnt: Signal): Expr => mux(kind.eq(JOB.PROG), regs.nLayers.resize(u(CB)), mux(kind.eq(JOB.INPUT), inputWords, mux(kind.eq(JOB.WEIGHTS), cnt.slice(wW.width - 1, 0).resize(u(CB)), cnt.slice(countsBase - 2, wW.width).resize(u(CB)))));
  const diagonal = (cnt: Signal): Expr => cnt.bit(countsBase - 1);
  const beatsOfBase = (kind: Expr, cnt: Signal): Expr => mux(kind.eq(JOB.PROG), k(b.program, 8), mux(kind.eq(JOB.INPUT), k(1, 8), mux(kind.eq(JOB.WEIGHTS), mux(diagonal(cnt), k(b.diagWeights, 8), k(b.weights, 8)), k(b.params, 8))));
  const isActJob = (kind: Expr): Expr => kind.eq(JOB.ACTA).or(kind.eq(JOB.ACTB));
  const beatsOf = (kind: Expr, cnt: Signal): Expr => (spill ? mux(isActJob(kind), k(b.acts, 8), beatsOfBase(kind, cnt)) : beatsOfBase(kind, cnt));
  // Spill build: a band's reads are sized by the engine's current descriptor (they only start once the engine is at it).
  const wordsOfAll = (kind: Expr, cnt: Signal, F: (n: string) => Expr): Expr => (spill ? mux(kind.eq(JOB.INPUT).or(isActJob(kind)), F('rdCount').resize(u(CB)), wordsOf(kind, cnt)) : wordsOf(kind, cnt));
  const rdKind = (cnt: Signal): Expr => cnt.slice(countsBase + 1, countsBase);
  const offsetOf = (cnt: Signal, i: number): Expr => cnt.slice(countsBase + 2 + 32 * (i + 1) - 1, countsBase + 2 + 32 * i);
  // Spill build: the descriptor's weight and parameter words are already in its buffer half (the
  // band two descriptors back, of the same layer, loaded them): its W and P jobs are skipped.
  const reuses = (kind: Expr, cnt: Signal, at: Signal): Expr => (spill ? cnt.bit(countsWidth - 1).and(kind.eq(JOB.WEIGHTS).or(kind.eq(JOB.PARAMS))).and(at.lt(regs.nLayers.resize(u(33)))) : k(0, 1));
  // The job after `kind`, and whether `kind` is its descriptor's last (the next job is the next descriptor's).
  const nextOf = (kind: Expr, cnt: Signal): Expr => {
    if (!spill) return mux(kind.eq(JOB.PARAMS), k(JOB.WEIGHTS, 2), kind.add(1));
    const rd = rdKind(cnt);
    return mux(kind.eq(JOB.PROG).or(kind.eq(JOB.INPUT)).or(kind.eq(JOB.ACTB)), k(JOB.WEIGHTS, 3),
      mux(kind.eq(JOB.WEIGHTS), k(JOB.PARAMS, 3),
        mux(kind.eq(JOB.PARAMS), mux(rd.eq(0), k(JOB.WEIGHTS, 3), mux(rd.eq(1), k(JOB.INPUT, 3), k(JOB.ACTA, 3))),
          mux(rd.eq(3), k(JOB.ACTB, 3), k(JOB.WEIGHTS, 3)))));
  };
  const lastOf = (kind: Expr, cnt: Signal): Expr => {
    if (!spill) return kind.eq(JOB.PARAMS);
    const rd = rdKind(cnt);
    return kind.eq(JOB.PARAMS).and(rd.eq(0)).or(kind.eq(JOB.INPUT)).or(kind.eq(JOB.ACTA).and(rd.eq(2))).or(kind.eq(JOB.ACTB));
  };

  // AR side: the next job may start once the program is in (the counts and layer 0's geometry come
  // from it); a layer's words only while the layer two back has finished (its buffer half is free).
  const layerOk = arLayer.lt(regs.nLayers.resize(u(33))).and(arLayer.le(v.layer.resize(u(PA + 1)).add(1)));
  // Spill build: a band's reads wait until the engine is at its descriptor: the band before it has
  // computed and its writes have all been answered (so these reads see them, and its RAM is free).
  // Spill build: a band's reads may load while the band before it computes (alternate RAM banks)
  // once every write of the bands before that one has been answered (the bank's last band has
  // drained); the first band of a layer waits for all earlier writes (it reads what they wrote).
  // wrDone: 1 + the index of the last descriptor whose write has had its B responses (writes finish in order).
  const wrBusy = spill ? reg('wr_busy', u(1)) : undefined;
  const wrIdx = spill ? reg('wr_idx', u(PA + 1)) : undefined;
  const wrDone = spill ? reg('wr_done_upto', u(PA + 1)) : undefined;
  const actOk = wrDone === undefined ? k(1, 1) : layerOk.and(wrDone.ge(FA('rdAfter')));
  const arGate = spill
    ? mux(arKind.eq(JOB.PROG), k(1, 1), progLoaded.and(mux(arKind.eq(JOB.WEIGHTS).or(arKind.eq(JOB.PARAMS)), layerOk, actOk)))
    : mux(arKind.eq(JOB.PROG), k(1, 1), progLoaded.and(mux(arKind.ge(JOB.WEIGHTS), layerOk, k(1, 1))));
  // arKind is the job being issued (arActive) or the next one to issue (not arActive).
  const arSkip = spill ? m.wire('dma_ar_skip', dmaOn.and(arActive.not()).and(progLoaded).and(reuses(arKind, countsAr, arLayer))) : undefined;
  const jobStart = m.wire('dma_job_start', arSkip === undefined ? dmaOn.and(arActive.not()).and(arGate) : dmaOn.and(arActive.not()).and(arGate).and(arSkip.not()));
  // Spill build: a band's activation words are packed densely (src/accel/actPacking.ts): its read
  // starts at the beat holding its first byte (rdOff rounded down to the bus width; the rest, `skip`
  // bytes, the read gearbox drops) and covers the beats up to its last byte.
  const pk = spill ? actPacking(c) : undefined;
  const lg = beatShift(s);
  const actOff = (F: (n: string) => Expr, kind: Expr): Expr => mux(kind.eq(JOB.ACTB), F('rdOff2'), F('rdOff'));
  const actSkip = (F: (n: string) => Expr, kind: Expr): Expr => actOff(F, kind).slice(lg - 1, 0);
  const actBeats = (F: (n: string) => Expr, kind: Expr): Expr => (pk === undefined ? k(0, 1) : actSkip(F, kind).resize(u(CB)).add(F('rdCount').mul(pk.stride)).add(s.dataBytes - 1).shr(lg).resize(u(CB)));
  const plainBeats = wordsOfAll(arKind, countsAr, FA).mul(beatsOf(arKind, countsAr)).resize(u(CB));
  const jobBeats = m.wire('dma_job_beats', spill ? mux(isActJob(arKind), actBeats(FA, arKind), plainBeats) : plainBeats);
  const jobBytes = jobBeats.shl(beatShift(s)).resize(u(32));
  const at = (base: Expr, off: Expr): Expr => base.add(off).resize(u(32));
  // Spill build: every job's base is its region's plus the descriptor's byte offset (a layer's bands share its words).
  const jobBase = spill
    ? mux(arKind.eq(JOB.PROG), regs.bases.prog, mux(arKind.eq(JOB.INPUT), at(regs.bases.input, FA('rdOff')), mux(arKind.eq(JOB.WEIGHTS), at(regs.bases.weights, offsetOf(countsAr, 0)),
      mux(arKind.eq(JOB.PARAMS), at(regs.bases.params, offsetOf(countsAr, 1)), at(regs.bases.acts, cat(actOff(FA, arKind).slice(31, lg), k(0, lg)))))))
    : mux(arKind.eq(JOB.PROG), regs.bases.prog, mux(arKind.eq(JOB.INPUT), regs.bases.input, mux(arKind.eq(JOB.WEIGHTS), ptrW, ptrP)));
  if (spill) {
    m.markUnused(ptrW);
    m.markUnused(ptrP);
  }
  set(ptrW, mux(start, regs.bases.weights, ptrW.add(jobBytes)), start.or(jobStart.and(arKind.eq(JOB.WEIGHTS))));
  set(ptrP, mux(start, regs.bases.params, ptrP.add(jobBytes)), start.or(jobStart.and(arKind.eq(JOB.PARAMS))));

  // ---- AR: bursts of min(maxBurst, beats left, beats to the 4 KiB boundary) ----
  const burst = m.wire('dma_burst', burstBeats(s, arAddr, arLeft, CB));
  const issue = m.wire('dma_ar_issue', arActive.and(arValid.not()).and(outstanding.lt(s.maxOutstanding)));
  const arJobEnd = issue.and(arLeft.eq(burst.resize(u(CB))));
  const arHs = arValid.and(x.arready);
  // An input beat is held by the unpacker, which hands one element per cycle to the lane packer;
  // R beats wait (RREADY low) until it is on its last element.
  const upValid = reg('in_beat_valid', u(1));
  const upIdx = reg('in_beat_idx', u(Math.max(1, log2(perBeat) + 1)));
  const upLeft = reg('in_elems_left', u(CB));
  const upLastElem = upIdx.eq(perBeat - 1).or(upLeft.eq(1));
  // Spill build: while the R side steps over a skipped (reused) W or P job it takes no beat (the beats are the next job's).
  const rSkip = spill ? m.wire('dma_r_skip', dmaOn.and(progLoaded).and(reuses(rKind, countsR, rLayer))) : undefined;
  const rReady = m.wire('dma_rready', rSkip === undefined ? dmaOn.and(upValid.not().or(upLastElem)) : dmaOn.and(rSkip.not()).and(upValid.not().or(upLastElem)));
  m.assign(x.rready, rReady);
  const rHs = m.wire('dma_r_hs', x.rvalid.and(rReady));
  const rLastHs = rHs.and(x.rlast);
  set(arValid, mux(issue, k(1, 1), mux(arHs, k(0, 1), arValid)));
  set(arAddrReg, arAddr, issue);
  set(arLenReg, burst.sub(1), issue);
  set(arAddr, mux(jobStart, jobBase, arAddr.add(burst.shl(beatShift(s)))), jobStart.or(issue));
  set(arLeft, mux(jobStart, jobBeats, arLeft.sub(burst)), jobStart.or(issue));
  set(arActive, mux(jobStart, k(1, 1), k(0, 1)), jobStart.or(arJobEnd).or(start));
  // After its last burst the AR side moves to the next job kind (and, after parameters, the next layer).
  set(arKind, mux(start, k(JOB.PROG, KB), nextOf(arKind, countsAr)), arSkip === undefined ? start.or(arJobEnd) : start.or(arJobEnd).or(arSkip));
  set(arLayer, mux(start, k(0, 1), arLayer.add(1)), start.or(arJobEnd.and(lastOf(arKind, countsAr))));
  set(outstanding, outstanding.add(mux(issue, k(1, 1), k(0, 1))).sub(mux(rLastHs, k(1, 1), k(0, 1))), issue.or(rLastHs));
  m.assign(x.arvalid, arValid);
  m.assign(x.araddr, arAddrReg);
  m.assign(x.arlen, arLenReg);
  m.assign(x.arsize, k(beatShift(s), 3));
  m.assign(x.arburst, k(1, 2));

  // ---- R: assemble words, write them to their memory ----
  const maxBeats = Math.max(b.program, b.acts, b.weights, b.diagWeights, b.params);
  const asmW = maxBeats * DB;
  let asmNext: Expr = x.rdata;
  if (maxBeats > 1) {
    const asm = reg('dma_asm', bus(asmW));
    asmNext = m.wire('dma_asm_next', cat(x.rdata, wideSlice(asm, asmW - 1, DB)));
    set(asm, asmNext, rHs);
  }
  const wordOf = (beats: number, width: number): Expr => wideSlice(asmNext, (maxBeats - beats) * DB + width - 1, (maxBeats - beats) * DB);
  let wordDone: Expr = rHs.and(rBeat.add(1).eq(beatsOf(rKind, countsR)));
  let jobDone: Expr;
  let gearWord: Expr | undefined;
  if (pk !== undefined) {
    // A band's activation words come out of the read gearbox (one per beat at most); its job ends on its last beat.
    const actBeat = reg('dma_r_act_beat', u(CB));
    const actHs = rHs.and(isActJob(rKind));
    const actLast = actHs.and(actBeat.add(1).eq(actBeats(FR, rKind)));
    set(actBeat, mux(start.or(actLast), k(0, 1), actBeat.add(1)), start.or(actHs));
    const gb = readGearbox(m, pk, { beat: actHs, first: actBeat.eq(0), skip: actSkip(FR, rKind), clear: start.or(actLast), data: x.rdata });
    gearWord = gb.word;
    wordDone = mux(isActJob(rKind), gb.emit, wordDone);
    jobDone = m.wire('dma_r_job_done', mux(isActJob(rKind), actLast, wordDone.and(rWord.add(1).eq(wordsOfAll(rKind, countsR, FR)))));
  } else jobDone = m.wire('dma_r_job_done', wordDone.and(rWord.add(1).eq(wordsOfAll(rKind, countsR, FR))));
  const rBeatClear = spill ? start.or(wordDone).or(isActJob(rKind)) : start.or(wordDone);
  set(rBeat, mux(rBeatClear, k(0, 1), rBeat.add(1)), start.or(rHs));
  set(rWord, mux(start.or(jobDone), k(0, 1), rWord.add(1)), start.or(wordDone));
  set(rKind, mux(start, k(JOB.PROG, KB), nextOf(rKind, countsR)), rSkip === undefined ? start.or(jobDone) : start.or(jobDone).or(rSkip));
  const afterParams = jobDone.and(lastOf(rKind, countsR));
  set(rLayer, mux(start, k(0, 1), rLayer.add(1)), start.or(afterParams));
  // Spill build: a band's input elements count as loaded when the unpacker has packed the last one (below).
  if (!spill) set(loaded, mux(start, k(0, 1), loaded.add(1)), start.or(afterParams));
  set(progLoaded, mux(start, k(0, 1), k(1, 1)), start.or(jobDone.and(rKind.eq(JOB.PROG))));
  const allLoaded = rLayer.add(1).ge(regs.nLayers.resize(u(33)));
  set(dmaOn, mux(start, k(1, 1), k(0, 1)), start.or(afterParams.and(allLoaded)));
  const half = (addrBits: number): Expr => cat(rLayer.bit(0), rWord.resize(u(addrBits - 1)));
  const is = (kind: number): Expr => wordDone.and(rKind.eq(kind));
  const progWord = wordOf(b.program, descriptorWidth(c));
  m.assign(ports.program.enable, is(JOB.PROG));
  m.assign(ports.program.addr, rWord.resize(u(PA)));
  m.assign(ports.program.data, progWord);
  m.assign(countsWrite.enable, is(JOB.PROG));
  m.assign(countsWrite.addr, rWord.resize(u(PA)));
  const countsBaseData = cat(progWord.slice(1, 0).ne(0), progWord.slice(pW.lo + pW.width - 1, pW.lo), progWord.slice(wW.lo + wW.width - 1, wW.lo));
  const sliceOf = (n: string): Expr => {
    const f = fieldAt(n);
    return progWord.slice(f.lo + f.width - 1, f.lo);
  };
  m.assign(countsWrite.data, spill ? cat(sliceOf('wReuse'), sliceOf('pOff'), sliceOf('wOff'), sliceOf('rdKind'), countsBaseData) : countsBaseData);
  m.assign(ports.weights.enable, is(JOB.WEIGHTS));
  m.assign(ports.weights.addr, half(c.weightAddrBits));
  // A diagonal from memory becomes the full word: weight (r, r) = diagonal lane r, every other weight 0.
  const WB = c.weightBits;
  const diag = wordOf(b.diagWeights, c.lanes * WB);
  const zeros = (n: number): Expr => constant(0, bus(n));
  const rows = Array.from({ length: c.lanes }, (_, r) => {
    const parts: Expr[] = [];
    if (r < c.lanes - 1) parts.push(zeros((c.lanes - 1 - r) * WB));
    parts.push(diag.slice((r + 1) * WB - 1, r * WB));
    if (r > 0) parts.push(zeros(r * WB));
    return parts.length === 1 ? parts[0]! : cat(...parts);
  });
  const expanded = cat(...[...rows].reverse());
  m.assign(ports.weights.data, mux(diagonal(countsR), expanded, wordOf(b.weights, weightWordWidth(c))));
  m.assign(ports.params.enable, is(JOB.PARAMS));
  m.assign(ports.params.addr, half(c.paramAddrBits));
  m.assign(ports.params.data, wordOf(b.params, paramWordWidth(c)));
  // The unpacker and lane packer (the on-chip loader's rule: a word per pixel and channel group).
  const upBeat = reg('in_beat', bus(DB));
  const takeInput = rHs.and(rKind.eq(JOB.INPUT));
  const elemBits = 8 * eBytes;
  const elems = Array.from({ length: perBeat }, (_, i) => upBeat.slice(i * elemBits + c.actBits - 1, i * elemBits));
  const elem = elems.reduceRight<Expr>((acc, e, i) => mux(upIdx.eq(i), e, acc), elems[0]!);
  const step = upValid;
  set(upBeat, x.rdata, takeInput);
  set(upValid, mux(takeInput, k(1, 1), mux(step.and(upLastElem), k(0, 1), upValid)), takeInput.or(step).or(start));
  // Elements left in the tensor, loaded with the first input beat (layer 0's descriptor is in by then).
  const firstBeat = takeInput.and(rWord.eq(0));
  if (spill) {
    // A band's input starts readSkip elements into its first (beat-aligned) beat.
    set(upIdx, mux(start, k(0, 1), mux(takeInput, mux(firstBeat, FR('rdSkip').resize(upIdx.shape), k(0, 1)), upIdx.add(1))), takeInput.or(step).or(start));
  } else set(upIdx, mux(takeInput.or(start), k(0, 1), upIdx.add(1)), takeInput.or(step).or(start));
  set(upLeft, mux(firstBeat, spill ? FR('rdElems').resize(u(CB)) : inElems, upLeft.sub(1)), firstBeat.or(step));
  const inLane = reg('in_lane', u(LB));
  const inC = reg('in_c', u(c.dimBits + LB + 1));
  const inOff = reg('in_off', u(c.actAddrBits));
  const inRegs = Array.from({ length: L }, (_, i) => reg(`in_word${i}`, u(c.actBits)));
  // Spill build: the R side moves on to the next descriptor when the band's last beat arrives, while
  // the unpacker still packs its elements: the band's channel count and RAM base are kept from its first beat.
  const upChannels = spill ? reg('in_channels_held', inChannels.shape) : undefined;
  const upBase = spill ? reg('in_base_held', u(c.actAddrBits)) : undefined;
  if (upChannels !== undefined && upBase !== undefined) {
    set(upChannels, inChannels, firstBeat);
    set(upBase, FR('inBase'), firstBeat);
  }
  const cLast = inC.add(1).eq(upChannels ?? inChannels);
  const flush = m.wire('in_flush', step.and(cLast.or(inLane.eq(L - 1))));
  const newWord = inRegs.map((r, i) => mux(inLane.eq(i), elem, r));
  inRegs.forEach((r, i) => set(r, mux(flush.or(start), k(0, 1), newWord[i]!), step.or(start)));
  set(inLane, mux(flush.or(start), k(0, 1), inLane.add(1)), step.or(start));
  set(inC, mux(cLast.or(start), k(0, 1), inC.add(1)), step.or(start));
  // Spill build: each band's input is packed from the band's RAM base.
  set(inOff, mux(start.or(spill ? firstBeat : k(0, 1)), k(0, 1), inOff.add(1)), start.or(flush).or(spill ? firstBeat : k(0, 1)));
  const packed = cat(...[...newWord].reverse());
  let actWrite: { enable: Expr; addr: Expr; data: Expr } = { enable: flush, addr: (upBase ?? FR('inBase')).add(inOff).resize(u(c.actAddrBits)), data: packed };
  if (spill) {
    // Activation words of a band's first (ACTA) or second (ACTB) input go to the RAM as they are.
    const actWord = m.wire('dma_act_word', wordDone.and(isActJob(rKind)));
    const dest = mux(rKind.eq(JOB.ACTA), FR('inBase'), FR('in2Base')).add(rWord).resize(u(c.actAddrBits));
    actWrite = { enable: flush.or(actWord), addr: mux(actWord, dest, actWrite.addr), data: mux(actWord, gearWord ?? wordOf(b.acts, actWordWidth(c)), packed) };
  }
  // A layer may start when its words are in its half (the program and input came first); with spill,
  // also once the unpacker has packed the band's last input element.
  if (spill) {
    const unpacked = step.and(upLeft.eq(1));
    const viaR = afterParams.and(rKind.ne(JOB.INPUT));
    set(loaded, mux(start, k(0, 1), loaded.add(mux(viaR, k(1, 1), k(0, 1))).add(mux(unpacked, k(1, 1), k(0, 1)))), start.or(viaR).or(unpacked));
  }
  const layerReady = m.wire('layer_ready', loaded.gt(v.layer.resize(u(PA + 1))));

  // ---- write engine: the output tensor ----
  // Spill build: each band writes its output words at its offset in the activation region (the last layer's in the output region).
  const wrBase = spill ? m.wire('wr_base', mux(v.F('wrOut').eq(1), regs.bases.output, regs.bases.acts).add(v.F('wrOff')).resize(u(32))) : regs.bases.output;
  let wr;
  if (wrBusy !== undefined && wrIdx !== undefined && v.kick !== undefined && v.drainData !== undefined) {
    // The write engine drains a band while the engine goes on: it keeps the band's word count,
    // RAM base and index from the hand-over (the engine's descriptor moves on).
    const kick = v.kick;
    const A = c.actAddrBits;
    const wordsL = reg('wr_words', u(A + 1));
    const ramBaseL = reg('wr_ram_base', u(A));
    const ramBase = v.F('outBase').sub(v.F('outGroup0')).resize(u(A));
    set(wordsL, v.F('outWords'), kick);
    set(ramBaseL, ramBase, kick);
    set(wrIdx, v.layer, kick);
    const Fw = (n: string): Expr => (n === 'outWords' ? mux(kick, v.F('outWords'), wordsL) : n === 'outBase' ? mux(kick, ramBase, ramBaseL) : n === 'outGroup0' ? k(0, 1) : v.F(n));
    wr = axiWriteDma(m, c, p, wrBase, { ...v, inOut: wrBusy, enterOut: kick, F: Fw, actData: v.drainData });
    set(wrBusy, mux(start, k(0, 1), mux(kick, k(1, 1), mux(wr.outDone, k(0, 1), wrBusy))));
    if (wrDone !== undefined) set(wrDone, mux(start, k(0, 1), wrIdx.add(1)), start.or(wr.outDone));
  } else wr = axiWriteDma(m, c, p, wrBase, v);
  const { wHs, bHs, outDone } = wr;
  const badResp = rHs.and(x.rresp.ne(0)).or(bHs.and(x.bresp.ne(0)));
  set(error, mux(start, k(0, 1), k(1, 1)), start.or(badResp));
  set(bytesRead, mux(start, k(0, 1), bytesRead.add(s.dataBytes)), start.or(rHs));
  set(bytesWritten, mux(start, k(0, 1), bytesWritten.add(s.dataBytes)), start.or(wHs));
  return { layerReady, outDone, actWrite, outReadAddr: wr.outReadAddr, error, bytesRead, bytesWritten, ...(wrBusy !== undefined ? { wrBusy } : {}) };
}
