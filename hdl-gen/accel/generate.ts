/**
 * The network accelerator's top module, written in the DSL: a layer-
 * sequential engine driven by the layer program (src/accel/program.ts).
 *
 *   LOAD   pixels arrive on in_* (one activation per beat, NHWC) and are
 *          packed into words of `lanes` channels in the activation RAM.
 *   FETCH  one cycle: the program ROM presents the layer's descriptor.
 *   RUN    one tap per cycle (loop order oy, ox, og, ky, kx, ig): addresses
 *          of the activation word, weight word and parameter word; the MAC
 *          array (lanes x lanes) accumulates; on the last tap of an output
 *          word the lanes go through the requant pipeline and the word is
 *          written back (max pooling: a running max on the same path). Pipeline: issue -> M (memories read, multiply,
 *          accumulate) -> Q (multiply-adds of the requant) -> R (rounding
 *          shift, PReLU, clamp) -> W (RAM write).
 *   DRAIN  DRAIN_CYCLES cycles so the pipeline's writes land, then the next
 *          layer (or OUT after the descriptor marked last).
 *   OUT    the final tensor on out_*, then the predicted class, the total
 *          cycles, and per layer its cycles, useful MACs and output elements.
 * Status ports: busy (a layer is running), done (one-cycle pulse after the
 * last output beat).
 *
 * Memories are ROMs initialised from the program's images (hex files, or
 * inline for co-simulation). Nothing in the control assumes a tensor size:
 * every bound comes from the descriptor, so the same engine runs any network
 * its address widths hold.
 */
import { signed, unsigned, type Shape } from '../../src/arith/index.ts';
import { type AccelConfig, type AccelProgram, DRAIN_CYCLES, LOAD_TAGS, loadAddrBits, loadBeatBits, programImages, descriptorFields, paramFields, laneCountBits, descriptorWidth, paramWordWidth, weightWordWidth, actWordWidth, paramLaneWidth } from '../../src/accel/index.ts';
import { type Expr, type Signal, cat, constant, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import { Module } from '../dsl/module.ts';
import { sum } from '../lib/sum.ts';
import { roundShiftVar } from './roundShiftVar.ts';
import { ST } from './engineStates.ts';
import { wideSlice } from './wideSlice.ts';
import { type MemWritePort, declareAxiPorts, memWritePort } from './axiPorts.ts';
import { axiControl } from './axiControl.ts';





/** The accelerator with one program's images in ROM (config.loadable false), or with loadable memories. */
export function generateAccelerator(program: AccelProgram, name = 'pike_accel', opts: { statusPorts?: boolean } = {}): Module {
  const status = opts.statusPorts === true;
  // The loadable and AXI builds hold no network: one build runs any program compiled for the configuration.
  if (program.config.loadable || program.config.memory === 'axi') return buildAccelerator(program.config, undefined, name, status);
  return buildAccelerator(program.config, { network: program.network, layers: program.layers.length, ...programImages(program) }, name, status);
}

/** The AXI build (config.memory 'axi'): memories filled over m_axi_*, controlled over s_axil_* (axiControl.ts). */
export function generateAxiAccelerator(config: AccelConfig, name = 'pike_accel'): Module {
  if (config.memory !== 'axi') throw new Error('generateAxiAccelerator: config.memory must be "axi"');
  return buildAccelerator(config, undefined, name, false);
}

/** A loadable accelerator: one build runs any network compiled for `config` (its memories are loaded through in_*). */
export function generateLoadableAccelerator(config: AccelConfig, name = 'pike_accel'): Module {
  if (!config.loadable) throw new Error('generateLoadableAccelerator: config.loadable must be true');
  return buildAccelerator(config, undefined, name, false);
}

interface Images {
  readonly network: string;
  readonly layers: number;
  readonly program: readonly bigint[];
  readonly weights: readonly bigint[];
  readonly params: readonly bigint[];
}

/** The stream ports of the on-chip builds (in_* carries pixels, or tagged load beats when loadable; out_* the results). */
function streamPorts(m: Module, c: AccelConfig) {
  const inp = m.streamIn('in', c.loadable ? bus(loadBeatBits(c)) : signed(c.actBits));
  const inHsAny = inp.valid.and(inp.ready);
  // Loadable: tagged beats write the weight, parameter and program RAMs; tag 0 is an activation.
  const LA = loadAddrBits(c);
  const tag = c.loadable ? inp.data.slice(1, 0) : undefined;
  const beatAddr = c.loadable ? inp.data.slice(LA + 1, 2) : undefined;
  const dataAt = LA + 2;
  const pixelData = c.loadable ? inp.data.slice(dataAt + c.actBits - 1, dataAt).asSigned() : inp.data;
  const memWrite = (t: number): Expr => (tag === undefined ? constant(0, unsigned(1)) : inHsAny.and(tag.eq(t)));
  const out = m.streamOut('out', signed(c.outBits));
  return { inp, inHsAny, tag, beatAddr, dataAt, pixelData, memWrite, out };
}

function buildAccelerator(c: AccelConfig, rom: Images | undefined, name: string, statusPorts: boolean): Module {
  const L = c.lanes;
  const axi = c.memory === 'axi';
  const images = rom ?? { program: [0n], weights: [0n], params: [0n] };
  const m = new Module(name, {
    generator: 'accelerator',
    config: { network: rom?.network ?? null, ...c },
    description: axi
      ? `layer-sequential network accelerator, ${L}x${L} MAC array, AXI4 memory master and AXI4-Lite control`
      : rom ? `layer-sequential network accelerator, ${L}x${L} MAC array, ${rom.layers}-layer program in ROM` : `layer-sequential network accelerator, ${L}x${L} MAC array, loadable program`,
  });
  // AXI build: the memories' write ports belong to the DMA (axiDma.ts), the streams are absent.
  const axiPorts = axi ? declareAxiPorts(m, c) : undefined;
  const dmaPorts = axi
    ? { program: memWritePort(m, 'prog_dma', c.progAddrBits, descriptorWidth(c)), weights: memWritePort(m, 'weights_dma', c.weightAddrBits, weightWordWidth(c)), params: memWritePort(m, 'params_dma', c.paramAddrBits, paramWordWidth(c)) }
    : undefined;
  const stream = axi ? undefined : streamPorts(m, c);
  // Sync read (block RAM) for the big memories; the program, a few wide words, reads asynchronously (LUTs, not a column of block RAMs).
  const memory = (n: string, width: number, contents: readonly bigint[], addr: Expr, t: number, read: 'sync' | 'async' = 'sync', dma?: MemWritePort): Signal =>
    dma !== undefined
      ? m.ram(n, { shape: bus(width), writeAddr: dma.addr, writeData: dma.data, writeEnable: dma.enable, readAddr: addr, read })
      : c.loadable
        ? m.ram(n, { shape: bus(width), writeAddr: stream!.beatAddr!.resize(addr.shape), writeData: wideSlice(stream!.inp.data, stream!.dataAt + width - 1, stream!.dataAt), writeEnable: stream!.memWrite(t), readAddr: addr, read })
        : m.rom(n, { shape: bus(width), contents, addr, read });
  const D = c.dimBits;
  const A = c.actAddrBits;
  const u = (w: number): Shape => unsigned(w);
  const k = (v: number, w: number): Expr => constant(v, unsigned(w));
  const reg = (n: string, s: Shape): Signal => m.reg(n, s);
  /**
   * A register that is always written before it is read: loaded at FETCH (loop counters, address
   * steps), at the start of OUT, on a tap or word qualified by a valid bit that has a reset, or every
   * cycle. Its reset value could never be seen (mutation testing showed it: docs/verification.md), so
   * it has none: less reset fan-out on an FPGA, and the co-simulation from random initial registers
   * (`pikehdl mutate --unit accelerator`) checks that nothing reads it first.
   */
  const dreg = (n: string, s: Shape): Signal => m.reg(n, s, { reset: 'none' });
  /** Next value of a register, resized to its shape (every caller keeps values in range). */
  const set = (r: Signal, v: Expr, enable?: Expr): void => m.update(r, v.resize(r.shape), enable ? { enable } : {});

  const state = m.reg('state', u(3), { reset: ST.LOADWAIT });
  const is = (s: number): Expr => state.eq(s);
  const layer = reg('layer', u(c.progAddrBits));

  // ---- the layer program -------------------------------------------------
  // ROM build: the program is a mux over constant descriptors (LUTs; most fields fold away).
  const desc = rom
    ? m.wire('layer_desc', rom.program.reduceRight<Expr>((acc, word, i) => mux(layer.eq(i), constant(word, bus(descriptorWidth(c))), acc), constant(rom.program[0]!, bus(descriptorWidth(c)))))
    : memory('layer_desc', descriptorWidth(c), images.program, layer, LOAD_TAGS.program, 'async', dmaPorts?.program);
  const field: Record<string, Expr> = {};
  let at = 0;
  for (const f of descriptorFields(c)) {
    const bits = desc.slice(at + f.width - 1, at);
    field[f.name] = f.signed ? bits.asSigned() : bits;
    at += f.width;
  }
  const F = (n: string): Expr => field[n]!;

  // ---- loop counters (RUN) -------------------------------------------------
  const oy = dreg('oy', u(D));
  const ox = dreg('ox', u(D));
  const og = dreg('og', u(D));
  const ky = dreg('ky', u(D));
  const kx = dreg('kx', u(D));
  const ig = dreg('ig', u(D));
  const wrap = (r: Expr, n: string): Expr => r.add(1).eq(F(n));
  const igW = wrap(ig, 'igCount');
  const kxW = wrap(kx, 'kw');
  const kyW = wrap(ky, 'kh');
  const ogW = wrap(og, 'og');
  const oxW = wrap(ox, 'ow');
  const oyW = wrap(oy, 'oh');
  const tapDone = igW.and(kxW).and(kyW);
  const lastTap = tapDone.and(ogW).and(oxW).and(oyW);
  const running = is(ST.RUN);
  const zeroD = k(0, D);
  const step = (r: Signal, wrapped: Expr, carry: Expr): void => {
    set(r, mux(is(ST.FETCH), zeroD, mux(carry, mux(wrapped, zeroD, r.add(1)), r)), is(ST.FETCH).or(running));
  };
  step(ig, igW, k(1, 1));
  step(kx, kxW, igW);
  step(ky, kyW, igW.and(kxW));
  step(og, ogW, tapDone);
  step(ox, oxW, tapDone.and(ogW));
  if (axi && c.spill === true) {
    // A band's rows start at oy0 (spill build: descriptor field).
    set(oy, mux(is(ST.FETCH), F('oy0'), mux(tapDone.and(ogW).and(oxW), mux(oyW, zeroD, oy.add(1)), oy)), is(ST.FETCH).or(running));
  } else step(oy, oyW, tapDone.and(ogW).and(oxW));

  // ---- addresses (issue stage): strength-reduced, adds only --------------------
  // Registers step with the loop counters by the descriptor's precomputed strides, so the
  // sequencer has no address multipliers (which would take DSP tiles on an FPGA).
  const isConv = F('kind').eq(0);
  const isAdd = F('kind').eq(2);
  const isMax = F('kind').eq(3);
  const fetch = is(ST.FETCH);
  const AS = signed(A + 8);
  const PS = signed(D + 6);
  const sreg = (n: string, sh: Shape): Signal => dreg(n, sh);
  const rowBase = sreg('row_base', AS);
  const colOff = sreg('col_off', AS);
  const kyOff = sreg('ky_off', AS);
  const kxOff = sreg('kx_off', AS);
  const iyBase = sreg('iy_base', PS);
  const ixBase = sreg('ix_base', PS);
  const zs = (sh: Shape): Expr => constant(0, sh);
  const upd = (r: Signal, onFetch: Expr, when: Expr, value: Expr): void => set(r, mux(fetch, onFetch, value), fetch.or(running.and(when)));
  const pixelStep = tapDone.and(ogW);
  upd(kxOff, zs(AS), igW, mux(kxW, zs(AS), kxOff.add(F('kxStep'))));
  upd(kyOff, zs(AS), igW.and(kxW), mux(kyW, zs(AS), kyOff.add(F('rowWords'))));
  upd(colOff, zs(AS), pixelStep, mux(oxW, zs(AS), colOff.add(F('colStep'))));
  upd(rowBase, F('startOff'), pixelStep.and(oxW), rowBase.add(F('rowStep')));
  const negPad = F('pad').neg();
  upd(ixBase, negPad, pixelStep, mux(oxW, negPad, ixBase.add(F('stride'))));
  // Spill build: a band's first window row is oy0*stride - pad (global rows: padding stays right at band edges).
  upd(iyBase, axi && c.spill === true ? F('iyStart') : negPad, pixelStep.and(oxW), iyBase.add(F('stride')));
  const iyS = iyBase.add(ky);
  const ixS = mux(isAdd, ixBase, ixBase.add(kx));
  const inside = m.wire('tap_inside', iyS.ge(0).and(iyS.lt(F('ih'))).and(ixS.ge(0)).and(ixS.lt(F('iw'))));
  const group = mux(isConv, ig, og);
  const second = mux(isAdd.and(kx.eq(1)), F('in2Delta'), constant(0, signed(2)));
  const runActAddr = m.wire('run_act_addr', F('inBase').add(rowBase).add(colOff).add(kyOff).add(kxOff).add(group).add(second).resize(u(A)));
  const WA = c.weightAddrBits;
  const wOg = dreg('w_og', u(WA));
  const wTap = dreg('w_tap', u(WA));
  set(wOg, mux(fetch.or(ogW), F('wBase'), wOg.add(F('wOgStride'))), fetch.or(running.and(tapDone)));
  set(wTap, mux(fetch.or(tapDone), k(0, 1), mux(igW, wTap.add(F('wTapStride')).add(1).sub(F('igCount')), wTap.add(1))), fetch.or(running));
  // AXI build: layer l reads buffer half l mod 2 (its descriptor's bases are local to the half).
  const wAddr = m.wire('w_addr', axi ? cat(layer.bit(0), wOg.add(wTap).resize(u(WA - 1))) : wOg.add(wTap).resize(u(WA)));
  const pAddr = m.wire('p_addr', axi ? cat(layer.bit(0), F('pBase').add(og).resize(u(c.paramAddrBits - 1))) : F('pBase').add(og).resize(u(c.paramAddrBits)));
  const outWord = dreg('out_word', u(A));
  // AXI build: an output-group tile skips the other tiles' words at the end of each pixel.
  set(outWord, mux(fetch, F('outBase'), axi ? outWord.add(1).add(mux(ogW, F('outSkip'), k(0, 1))) : outWord.add(1)), fetch.or(running.and(tapDone)));
  const outAddr = outWord;
  const LB = laneCountBits(c);
  const outLanes = mux(ogW, F('outLast'), k(L, LB));
  const inLanes = mux(igW, F('inLast'), k(L, LB));
  const tapMacs = mux(isConv, outLanes.mul(inLanes), outLanes);

  // ---- memories ----------------------------------------------------------
  const wData = memory('weights', weightWordWidth(c), images.weights, wAddr, LOAD_TAGS.weight, 'sync', dmaPorts?.weights);
  const pData = memory('params', paramWordWidth(c), images.params, pAddr, LOAD_TAGS.param, 'sync', dmaPorts?.params);

  // ---- stage M ------------------------------------------------------------
  const mValid = reg('m_valid', u(1));
  const mInside = dreg('m_inside', u(1));
  const mFirst = dreg('m_first', u(1));
  const mLast = dreg('m_last', u(1));
  const mOutAddr = dreg('m_out_addr', u(A));
  const mOutLanes = dreg('m_out_lanes', u(LB));
  set(mValid, running);
  set(mInside, inside);
  set(mFirst, ig.eq(0).and(kx.eq(0)).and(ky.eq(0)));
  set(mLast, tapDone);
  set(mOutAddr, outAddr);
  set(mOutLanes, outLanes);

  // Activation RAM (its write port is driven at the end, from the loader or stage W).
  const ramWriteAddr = m.wire('ram_waddr', u(A));
  const ramWriteData = m.wire('ram_wdata', bus(actWordWidth(c)));
  const ramWriteEnable = m.wire('ram_we', u(1));
  const ramReadAddr = m.wire('ram_raddr', u(A));
  // AXI spill build: the RAM is two banks (axiActBanks.ts) so the DMA can fill and drain one while
  // the engine computes from the other; the engine's read data comes from there.
  const actData = axi && c.spill === true
    ? m.wire('act_rdata', bus(actWordWidth(c)))
    : m.ram('acts', { shape: bus(actWordWidth(c)), writeAddr: ramWriteAddr, writeData: ramWriteData, writeEnable: ramWriteEnable, readAddr: ramReadAddr });
  const lane = (word: Expr, i: number, w: number): Expr => word.slice((i + 1) * w - 1, i * w).asSigned();
  // Padded taps read 0, or for max pooling the layer's lower clamp bound (never wins after the clamp).
  const padValue = m.wire('pad_value', mux(isMax, F('min'), constant(0, signed(c.actBits))));
  const xs = Array.from({ length: L }, (_, i) => mux(mInside, lane(actData, i, c.actBits), padValue));
  const accShape = signed(c.accBits);
  const accs = Array.from({ length: L }, (_, r) => dreg(`acc${r}`, accShape));
  const accNext = accs.map((acc, r) => {
    const dot = sum(xs.map((x, col) => x.mul(lane(wData, r * L + col, c.weightBits)))).resize(accShape);
    // Max pooling: a running max (the identity diagonal makes dot this lane's value) instead of the sum.
    const folded = mux(isMax, mux(dot.gt(acc), dot, acc), acc.add(dot).resize(accShape));
    return m.wire(`acc_next${r}`, mux(mFirst, dot, folded));
  });
  accs.forEach((acc, r) => set(acc, accNext[r]!, mValid));

  // ---- stage Q: requant (combinational from registers) ---------------------
  const capture = mValid.and(mLast);
  const qValid = reg('q_valid', u(1));
  const qAddr = dreg('q_addr', u(A));
  const qLanes = dreg('q_lanes', u(LB));
  const qParams = dreg('q_params', bus(paramWordWidth(c)));
  const qAcc = accNext.map((_, r) => dreg(`q_acc${r}`, accShape));
  set(qValid, capture);
  set(qAddr, mOutAddr, capture);
  set(qLanes, mOutLanes, capture);
  set(qParams, pData, capture);
  qAcc.forEach((q, r) => set(q, accNext[r]!, capture));
  const pFields = paramFields(c);
  const rValid = reg('r_valid', u(1));
  const rAddr = dreg('r_addr', u(A));
  const rLanes = dreg('r_lanes', u(LB));
  set(rValid, qValid);
  set(rAddr, qAddr);
  set(rLanes, qLanes);
  const laneValues = qAcc.map((acc, r) => {
    const p: Record<string, Expr> = {};
    let bit = r * paramLaneWidth(c);
    for (const f of pFields) {
      p[f.name] = qParams.slice(bit + f.width - 1, bit).asSigned();
      bit += f.width;
    }
    const x1 = acc.mul(p['normMul']!).add(p['normOff']!);
    const x2 = x1.mul(p['scaleMul']!).add(p['scaleOff']!);
    // Stage R: the multiply-adds are registered; the rounding shift, PReLU and clamp follow (Fmax).
    const rX2 = dreg(`r_x${r}`, x2.shape);
    const rPrelu = dreg(`r_prelu${r}`, p['prelu']!.shape);
    set(rX2, x2);
    set(rPrelu, p['prelu']!);
    const x3 = roundShiftVar(rX2, F('shift'), F('rounding'));
    const x4 = mux(x3.lt(0), roundShiftVar(x3.mul(rPrelu), F('preluShift'), F('rounding')), x3);
    const clamped = mux(x4.lt(F('min')), F('min'), mux(x4.gt(F('max')), F('max'), x4));
    return mux(rLanes.gt(r), clamped.resize(signed(c.actBits)), constant(0, signed(c.actBits)));
  });

  // ---- stage W ---------------------------------------------------------------
  const wValid = reg('w_valid', u(1));
  const wAddrReg = dreg('w_waddr', u(A));
  const wWord = dreg('w_word', bus(actWordWidth(c)));
  const wLanes = dreg('w_lanes', u(LB));
  set(wValid, rValid);
  set(wAddrReg, rAddr);
  set(wWord, cat(...[...laneValues].reverse()));
  set(wLanes, rLanes);

  if (axiPorts !== undefined && dmaPorts !== undefined) {
    axiControl(m, c, axiPorts, dmaPorts, { state, layer, F, actData, ramWrite: { enable: ramWriteEnable, addr: ramWriteAddr, data: ramWriteData }, ramReadAddr, wValid, wAddr: wAddrReg, wWord, wLanes, runActAddr, running, lastTap, tapMacs });
    return m;
  }
  const { inp, inHsAny, tag, pixelData, out } = stream!;

  // ---- loader (LOAD) -----------------------------------------------------------
  // The loader's registers are all set in LOADWAIT, the state every image starts from.
  const loadLane = dreg('load_lane', u(LB));
  const loadC = dreg('load_c', u(D + LB + 1));
  const loadPix = dreg('load_pix', u(2 * D));
  const loadOffset = dreg('load_offset', u(A));
  // A word is flushed when its last lane arrives, taking that lane from the input directly: the last
  // lane's holding register would only ever hold 0, so it is the constant (found by mutation testing).
  const loadRegs = Array.from({ length: L - 1 }, (_, i) => dreg(`load_word${i}`, signed(c.actBits)));
  const held: Expr[] = [...loadRegs, constant(0, signed(c.actBits))];
  const inHs = tag === undefined ? inHsAny : inHsAny.and(tag.eq(LOAD_TAGS.pixel));
  const loadedWord = tag === undefined ? constant(0, unsigned(1)) : inHsAny.and(tag.ne(LOAD_TAGS.pixel));
  m.assign(inp.ready, is(ST.LOAD));
  const inChannels = F('ig').sub(1).mul(L).add(F('inLast'));
  const cLast = loadC.add(1).eq(inChannels);
  const flush = inHs.and(cLast.or(loadLane.eq(L - 1)));
  const pixLast = loadPix.add(1).eq(F('inPixels'));
  const newWord = held.map((r, i) => mux(loadLane.eq(i), pixelData, r));
  loadRegs.forEach((r, i) => set(r, mux(flush.or(is(ST.LOADWAIT)), constant(0, signed(c.actBits)), newWord[i]!), inHs.or(is(ST.LOADWAIT))));
  set(loadLane, mux(is(ST.LOADWAIT).or(flush), k(0, LB), loadLane.add(1)), inHs.or(is(ST.LOADWAIT)));
  set(loadC, mux(is(ST.LOADWAIT).or(cLast), k(0, 1), loadC.add(1)), inHs.or(is(ST.LOADWAIT)));
  set(loadPix, mux(is(ST.LOADWAIT), k(0, 1), loadPix.add(1)), is(ST.LOADWAIT).or(inHs.and(cLast)));
  set(loadOffset, mux(is(ST.LOADWAIT), k(0, 1), loadOffset.add(1)), is(ST.LOADWAIT).or(flush));
  const loadDone = inHs.and(cLast).and(pixLast);

  // ---- drain, per-layer statistics -------------------------------------------
  const drain = dreg('drain', u(3));
  set(drain, mux(is(ST.DRAIN), drain.add(1), k(0, 1)));
  const layerEnd = is(ST.DRAIN).and(drain.eq(DRAIN_CYCLES - 1));
  const O = c.outBits;
  const busy = is(ST.FETCH).or(running).or(is(ST.DRAIN));
  const layerCycles = reg('layer_cycles', u(O));
  const layerMacs = reg('layer_macs', u(O));
  const layerElems = reg('layer_elems', u(O));
  const totalCycles = dreg('total_cycles', u(O)); // set to 0 in LOADWAIT
  set(layerCycles, mux(layerEnd, k(0, 1), layerCycles.add(1)), busy);
  set(layerMacs, mux(layerEnd, k(0, 1), layerMacs.add(mux(running, tapMacs, k(0, 1)))), busy);
  set(layerElems, mux(layerEnd, k(0, 1), layerElems.add(mux(wValid, wLanes, k(0, 1)))), busy);
  set(totalCycles, mux(is(ST.LOADWAIT), k(0, 1), totalCycles.add(1)), is(ST.LOADWAIT).or(busy));
  const statLayer = dreg('stat_layer', u(c.progAddrBits));
  // Per-layer counters in registers (a few words: block RAM would waste whole blocks on them).
  const statDepth = rom ? rom.layers : 2 ** c.progAddrBits;
  const statNext = cat(layerElems, layerMacs, layerCycles.add(1).resize(u(O)));
  const statRegs = Array.from({ length: statDepth }, (_, i) => {
    const r = dreg(`stats${i}`, bus(3 * O)); // written when layer i ends; OUT reads only layers that ran
    set(r, statNext, layerEnd.and(layer.eq(i)));
    return r;
  });
  const stats = m.wire('stats_word', statRegs.reduceRight<Expr>((acc, r, i) => mux(statLayer.eq(i), r, acc), statRegs[0]!));

  // ---- OUT: final tensor, class, counters --------------------------------------
  const oSec = dreg('o_sec', u(2));
  const oPhase = dreg('o_phase', u(1)); // cleared in DRAIN, which always precedes OUT
  const oWord = dreg('o_word', u(A));
  const oGroup = dreg('o_group', u(D));
  const oLane = dreg('o_lane', u(LB));
  const oIndex = dreg('o_index', u(O));
  const oWhich = dreg('o_which', u(2));
  const best = dreg('best', signed(c.actBits));
  const bestIdx = dreg('best_idx', u(O));
  const lastLayer = dreg('last_layer', u(c.progAddrBits));
  const outHs = out.valid.and(out.ready);
  const inOut = is(ST.OUT);
  const words = F('outWords');
  const groupLast = oGroup.add(1).eq(F('og'));
  const laneLimit = mux(groupLast, F('outLast'), k(L, LB));
  const laneEnd = oLane.add(1).eq(laneLimit);
  const wordEnd = laneEnd.and(oWord.add(1).eq(words));
  const element = m.wire('out_element', Array.from({ length: L - 1 }, (_, i) => i + 1).reduceRight<Expr>((acc, i) => mux(oLane.eq(i), lane(actData, i, c.actBits), acc), lane(actData, 0, c.actBits)));
  const statWord = mux(oWhich.eq(0), stats.slice(O - 1, 0), mux(oWhich.eq(1), stats.slice(2 * O - 1, O), stats.slice(3 * O - 1, 2 * O)));
  const beat = mux(oSec.eq(0), element.resize(signed(O)), mux(oSec.eq(1), bestIdx.resize(signed(O)), mux(oSec.eq(2), totalCycles.asSigned(), statWord.asSigned())));
  m.assign(out.valid, inOut.and(oPhase.eq(1)));
  m.assign(out.data, beat);
  const secElems = oSec.eq(0);
  const statEnd = oWhich.eq(2).and(statLayer.eq(lastLayer));
  const outDone = outHs.and(oSec.eq(3)).and(statEnd);
  set(oPhase, mux(inOut.and(oPhase.eq(0)), k(1, 1), k(0, 1)), inOut.and(oPhase.eq(0).or(outHs)).or(is(ST.DRAIN)));
  const enterOut = layerEnd.and(F('last').eq(1));
  set(oSec, mux(enterOut, k(0, 1), oSec.add(1)), enterOut.or(outHs.and(secElems.and(wordEnd).or(oSec.eq(1)).or(oSec.eq(2)))));
  set(oWord, mux(enterOut, k(0, 1), oWord.add(1)), enterOut.or(outHs.and(secElems).and(laneEnd)));
  set(oGroup, mux(enterOut.or(groupLast), k(0, 1), oGroup.add(1)), enterOut.or(outHs.and(secElems).and(laneEnd)));
  set(oLane, mux(enterOut.or(laneEnd), k(0, 1), oLane.add(1)), enterOut.or(outHs.and(secElems)));
  set(oIndex, mux(enterOut, k(0, 1), oIndex.add(1)), enterOut.or(outHs.and(secElems)));
  const better = oIndex.eq(0).or(element.gt(best));
  set(best, element, outHs.and(secElems).and(better));
  set(bestIdx, oIndex, outHs.and(secElems).and(better));
  set(oWhich, mux(enterOut.or(oWhich.eq(2)), k(0, 1), oWhich.add(1)), enterOut.or(outHs.and(oSec.eq(3))));
  set(statLayer, mux(enterOut, k(0, 1), statLayer.add(1)), enterOut.or(outHs.and(oSec.eq(3)).and(oWhich.eq(2))));
  set(lastLayer, layer, enterOut);

  // ---- the activation RAM's ports ------------------------------------------------
  const loadWord = cat(...[...newWord].reverse());
  m.assign(ramWriteEnable, mux(is(ST.LOAD), flush, wValid));
  m.assign(ramWriteAddr, mux(is(ST.LOAD), F('inBase').add(loadOffset).resize(u(A)), wAddrReg));
  m.assign(ramWriteData, mux(is(ST.LOAD), loadWord, wWord));
  m.assign(ramReadAddr, mux(inOut, F('outBase').add(oWord).resize(u(A)), runActAddr));

  // ---- state machine ---------------------------------------------------------------
  const nextLayer = layerEnd.and(F('last').eq(0));
  set(layer, mux(nextLayer, layer.add(1), k(0, 1)), nextLayer.or(outDone).or(is(ST.LOADWAIT)));
  const next = mux(
    is(ST.LOADWAIT), k(ST.LOAD, 3),
    mux(is(ST.LOAD), mux(loadDone, k(ST.FETCH, 3), mux(loadedWord, k(ST.LOADWAIT, 3), k(ST.LOAD, 3))),
      mux(is(ST.FETCH), k(ST.RUN, 3),
        mux(running, mux(lastTap, k(ST.DRAIN, 3), k(ST.RUN, 3)),
          mux(is(ST.DRAIN), mux(layerEnd, mux(F('last').eq(1), k(ST.OUT, 3), k(ST.FETCH, 3)), k(ST.DRAIN, 3)),
            mux(outDone, k(ST.LOADWAIT, 3), state))))));
  set(state, next);
  // Status for an integrator: busy while a layer runs; done pulses for one cycle when the last output beat is taken.
  // Off for co-simulation and the FPGA wrapper, which take exactly the stream port list.
  if (!statusPorts) return m;
  const busyOut = m.output('busy', u(1));
  const doneOut = m.output('done', u(1));
  const doneReg = reg('done_pulse', u(1));
  set(doneReg, outDone);
  m.assign(busyOut, busy);
  m.assign(doneOut, doneReg);
  return m;
}
