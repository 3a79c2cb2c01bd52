/**
 * The spill build's gearboxes between bus beats and densely packed activation words
 * (src/accel/actPacking.ts: a word every `stride` bytes, stride >= the bus bytes).
 *
 * Read: beats in, words out. The bytes of the beats not yet part of an emitted word wait in a
 * buffer of fewer than `stride` bytes; a beat's bytes are appended above them (the first beat of a
 * band's read drops its `skip` leading bytes, which belong to the word before), and a word is
 * emitted on the beat that brings its last byte. Since a beat has at most stride bytes, a beat
 * completes at most one word: the R channel never waits for the gearbox.
 *
 * Write: words in, beats out. Words are appended to an accumulator at its fill level (the first at
 * the band's `lead`: the byte of its offset within its beat); a beat leaves whenever the
 * accumulator holds a whole one, or, once every word is in, the partial last one. A word is taken
 * while less than a beat waits, so the accumulator never exceeds stride + bus bytes - 1. WSTRB
 * marks exactly the band's bytes: from `lead` on the first beat, below the fill level on the last.
 * Every variable byte position is a mux over the possible positions (the buses exceed arithmetic
 * widths, so no shifter).
 */
import { bitLength, unsigned, type Shape } from '../../src/arith/index.ts';
import type { ActPacking } from '../../src/accel/index.ts';
import { type Expr, type Signal, cat, constant, mux } from '../dsl/expr.ts';
import { bus } from '../dsl/busShape.ts';
import type { Module } from '../dsl/module.ts';
import { wideSlice } from './wideSlice.ts';

const u = (w: number): Shape => unsigned(w);
const k = (val: number, w: number): Expr => constant(val, u(w));
/** Bits to hold 0..n (src/arith's bit length). */
const bitsFor = (n: number): number => Math.max(1, bitLength(BigInt(n)));

/** Bytes [from, from + count) of `e`, zero-extended to `width` bits (count 0: zero). */
function bytesOf(e: Expr, from: number, count: number, width: number): Expr {
  if (count <= 0) return constant(0, bus(width));
  return wideSlice(e, (from + count) * 8 - 1, from * 8).resize(bus(width));
}

/** `sel`-indexed choice among `options` (index 0 when sel is out of range). */
function pick(sel: Expr, options: readonly Expr[]): Expr {
  return options.reduceRight<Expr>((acc, o, i) => (i === 0 ? acc : mux(sel.eq(i), o, acc)), options[0]!);
}

export interface ReadGearbox {
  /** This beat completes a word (with `beat`). */
  readonly emit: Expr;
  readonly word: Expr;
}

/**
 * `beat`: a beat of the band's read is taken; `first`: it is the band's first; `skip`: leading
 * bytes of the first beat to drop; `clear`: the band's read ended (the trailing bytes are dropped).
 */
export function readGearbox(m: Module, pk: ActPacking, io: { beat: Expr; first: Expr; skip: Expr; clear: Expr; data: Expr }): ReadGearbox {
  const S = pk.stride;
  const DBy = pk.dataBytes;
  const FB = bitsFor(S + DBy);
  const W = (S - 1 + DBy) * 8;
  const buf = m.reg('gb_rd_buf', bus((S - 1) * 8));
  const fill = m.reg('gb_rd_fill', u(FB));
  // The beat's bytes above the buffer's `fill` bytes, or (first beat) the beat without its skipped bytes.
  const appended = pick(fill, Array.from({ length: S }, (_, f) => (f === 0 ? x(io.data, W) : cat(io.data, bytesOf(buf, 0, f, f * 8)).resize(bus(W)))));
  const skipped = pick(io.skip, Array.from({ length: DBy }, (_, sk) => bytesOf(io.data, sk, DBy - sk, W)));
  const combined = m.wire('gb_rd_combined', mux(io.first, skipped, appended));
  const total = m.wire('gb_rd_total', mux(io.first, k(DBy, FB).sub(io.skip).resize(u(FB)), fill.add(DBy).resize(u(FB))));
  const emit = m.wire('gb_rd_emit', io.beat.and(total.ge(S)));
  m.update(buf, mux(total.ge(S), bytesOf(combined, S, DBy - 1, (S - 1) * 8), bytesOf(combined, 0, S - 1, (S - 1) * 8)), { enable: io.beat });
  m.update(fill, mux(io.clear, k(0, 1), mux(total.ge(S), total.sub(S), total)).resize(u(FB)), { enable: io.beat.or(io.clear) });
  return { emit, word: wideSlice(combined, pk.wordBits - 1, 0) };
}

function x(e: Expr, width: number): Expr {
  return e.resize(bus(width));
}

export interface WriteGearbox {
  /** A beat is ready (wvalid, with the burst's permission). */
  readonly beatReady: Expr;
  /** The gearbox takes the held word this cycle. */
  readonly take: Expr;
  readonly wdata: Expr;
  readonly wstrb: Expr;
}

/**
 * `begin`: a band's write starts (`lead` bytes of its first beat are not its own; `packed`: words
 * `stride` apart, else every word in whole beats (the output region)); `word`/`wordValid`: the next
 * word; `allIn`: no word is left after the held one; `wHs`: a beat left.
 */
export function writeGearbox(m: Module, pk: ActPacking, wholeBeats: number, io: { begin: Expr; lead: Expr; packed: Expr; word: Expr; wordValid: Expr; allIn: Expr; wHs: Expr }): WriteGearbox {
  const S = pk.stride;
  const DBy = pk.dataBytes;
  const SO = wholeBeats * DBy;
  const CAP = Math.max(S + DBy - 1, SO);
  const FB = bitsFor(CAP);
  const LB = bitsFor(DBy - 1);
  const acc = m.reg('gb_wr_acc', bus(CAP * 8));
  const fill = m.reg('gb_wr_fill', u(FB));
  const first = m.reg('gb_wr_first', u(1));
  const lead = m.reg('gb_wr_lead', u(LB));
  const full = fill.ge(DBy);
  const beatReady = m.wire('gb_wr_beat_ready', full.or(io.allIn.and(io.wordValid.not()).and(fill.ne(0))));
  const sent = io.wHs;
  const fillAfter = m.wire('gb_wr_fill_after', mux(sent, mux(full, fill.sub(DBy), k(0, 1)), fill).resize(u(FB)));
  const accAfter = mux(sent, bytesOf(acc, DBy, CAP - DBy, CAP * 8), acc);
  const take = m.wire('gb_wr_take', io.wordValid.and(fillAfter.lt(DBy)).and(io.begin.not()));
  const placed = pick(fillAfter, Array.from({ length: DBy }, (_, f) => (f === 0 ? x(io.word, CAP * 8) : cat(io.word.resize(bus(S * 8)), bytesOf(accAfter, 0, f, f * 8)).resize(bus(CAP * 8)))));
  m.update(acc, mux(io.begin, constant(0, bus(CAP * 8)), mux(take, placed, accAfter)));
  m.update(fill, mux(io.begin, io.lead.resize(u(FB)), fillAfter.add(mux(take, mux(io.packed, k(S, FB), k(SO, FB)), k(0, 1)))).resize(u(FB)));
  m.update(first, mux(io.begin, k(1, 1), mux(sent, k(0, 1), first)));
  m.update(lead, io.lead.resize(u(LB)), { enable: io.begin });
  // Byte i of the beat is the band's when i >= lead (first beat) and i < fill (a partial last beat).
  const lo = mux(first, lead, k(0, 1));
  const strb = Array.from({ length: DBy }, (_, i) => k(i, FB).ge(lo.resize(u(FB))).and(full.or(k(i, FB).lt(fill))));
  return { beatReady, take, wdata: wideSlice(acc, DBy * 8 - 1, 0), wstrb: cat(...[...strb].reverse()) };
}

export type { Signal };
