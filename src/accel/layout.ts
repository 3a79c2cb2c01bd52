/**
 * Bit layouts of the accelerator's memory words, shared by the RTL generator
 * (which slices them) and the image writers (which pack them): descriptor
 * fields, weight words and parameter words. Fields are packed LSB first in the
 * order listed. Values are two's complement in their field.
 */
import { bitLength } from '../arith/index.ts';
import type { AccelConfig } from './config.ts';
import { type AccelProgram, type LaneParams, type LayerDesc, kindCode, roundingCode } from './program.ts';

export interface Field {
  readonly name: string;
  readonly width: number;
  readonly signed: boolean;
}

/** Width of a count of valid lanes (1..lanes). */
export const laneCountBits = (c: AccelConfig): number => bitLength(BigInt(c.lanes));

export function descriptorFields(c: AccelConfig): readonly Field[] {
  const u = (name: string, width: number): Field => ({ name, width, signed: false });
  const D = c.dimBits;
  return Object.freeze([
    u('kind', 2), u('last', 1),
    u('inBase', c.actAddrBits), u('in2Base', c.actAddrBits), u('outBase', c.actAddrBits),
    u('ih', D), u('iw', D), u('ig', D), u('oh', D), u('ow', D), u('og', D), u('kh', D), u('kw', D), u('stride', D), u('pad', D), u('igCount', D),
    u('wBase', c.weightAddrBits), u('wOgStride', c.weightAddrBits), u('wTapStride', c.weightAddrBits), u('pBase', c.paramAddrBits),
    u('inLast', laneCountBits(c)), u('outLast', laneCountBits(c)),
    // Address steps precomputed here so the sequencer only adds (no address multipliers in the RTL).
    { name: 'startOff', width: c.actAddrBits + 6, signed: true }, u('rowStep', c.actAddrBits + 4), u('colStep', c.actAddrBits + 4),
    u('rowWords', c.actAddrBits + 1), u('kxStep', c.actAddrBits + 1), { name: 'in2Delta', width: c.actAddrBits + 1, signed: true },
    u('outWords', c.actAddrBits + 1), u('inPixels', 2 * D),
    u('shift', c.shiftBits), u('rounding', 3), u('preluShift', c.shiftBits),
    { name: 'min', width: c.actBits, signed: true }, { name: 'max', width: c.actBits, signed: true },
    // AXI build: the layer's weight and parameter word counts, which the DMA reads into a buffer half.
    // and for output-group tiles the skip to the next pixel's words and the tile's first group.
    ...(c.memory === 'axi' ? [u('wWords', c.weightAddrBits), u('pWords', c.paramAddrBits), u('outSkip', D), u('outGroup0', D)] : []),
    // AXI build with spill: the band (program.ts Band): its first output row and input row (the loops
    // start there; padding is decided on global rows), the DMA's reads before it and write after it,
    // and the byte offsets of its weight and parameter words (bands of a layer share them).
    ...(c.memory === 'axi' && c.spill === true
      ? [
        u('oy0', D), { name: 'iyStart', width: D + 2, signed: true }, u('rdKind', 2), u('rdOff', 32), u('rdOff2', 32), u('rdCount', 32), u('rdSkip', 8), u('rdElems', 32), u('rdAfter', c.progAddrBits + 1), u('wReuse', 1),
        u('wr', 1), u('wrOut', 1), u('wrOff', 32), u('wOff', 32), u('pOff', 32),
      ]
      : []),
  ]);
}

export function paramFields(c: AccelConfig): readonly Field[] {
  return Object.freeze([
    { name: 'normMul', width: c.normMulBits, signed: true },
    { name: 'normOff', width: c.normOffBits, signed: true },
    { name: 'scaleMul', width: c.scaleMulBits, signed: true },
    { name: 'scaleOff', width: c.scaleOffBits, signed: true },
    { name: 'prelu', width: c.preluBits, signed: true },
  ]);
}

export const fieldsWidth = (fs: readonly Field[]): number => fs.reduce((w, f) => w + f.width, 0);
export const descriptorWidth = (c: AccelConfig): number => fieldsWidth(descriptorFields(c));
export const paramLaneWidth = (c: AccelConfig): number => fieldsWidth(paramFields(c));
export const paramWordWidth = (c: AccelConfig): number => paramLaneWidth(c) * c.lanes;
export const weightWordWidth = (c: AccelConfig): number => c.weightBits * c.lanes * c.lanes;
export const actWordWidth = (c: AccelConfig): number => c.actBits * c.lanes;

function pack(fields: readonly Field[], values: Readonly<Record<string, number>>): bigint {
  let word = 0n;
  let at = 0n;
  for (const f of fields) {
    const v = values[f.name];
    if (v === undefined) throw new Error(`pack: field ${f.name} has no value (this is a bug)`);
    const lo = f.signed ? -(2 ** (f.width - 1)) : 0;
    const hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`pack: field ${f.name} = ${v} does not fit ${f.signed ? 's' : 'u'}${f.width} (the compiler should have refused it; this is a bug)`);
    const bits = BigInt(v) & ((1n << BigInt(f.width)) - 1n);
    word |= bits << at;
    at += BigInt(f.width);
  }
  return word;
}

/** `words`: the layer's weight and parameter word counts (AXI build only: its wBase and pBase are local to a buffer half). */
export function packDescriptor(c: AccelConfig, d: LayerDesc, last: boolean, words?: { readonly weights: number; readonly params: number }): bigint {
  const L = c.lanes;
  const axi = c.memory === 'axi';
  if (axi && words === undefined) throw new Error('packDescriptor: an AXI descriptor needs its word counts (this is a bug)');
  const spill = axi && c.spill === true;
  const band = d.band;
  if (spill && band === undefined) throw new Error(`packDescriptor: descriptor "${d.name}" of a spill build has no band (this is a bug)`);
  const rows = band === undefined ? d.oh : band.oy1 - band.oy0;
  return pack(descriptorFields(c), {
    ...(spill && band !== undefined ? {
      oy0: band.oy0, iyStart: band.oy0 * d.stride - d.pad, rdKind: READ_KINDS.indexOf(band.read), rdOff: band.readOffset, rdOff2: band.read2Offset, rdCount: band.readCount,
      rdSkip: band.readSkip, rdElems: band.readElems, rdAfter: band.readAfter, wReuse: band.reuseWords ? 1 : 0, wr: band.write ? 1 : 0, wrOut: band.toOutput ? 1 : 0, wrOff: band.writeOffset, wOff: band.weightOffset, pOff: band.paramOffset,
    } : {}),
    ...(axi ? { wWords: words!.weights, pWords: words!.params, outSkip: d.tile ? d.tile.groups - d.og : 0, outGroup0: d.tile?.group0 ?? 0 } : {}),
    kind: kindCode(d.kind), last: last ? 1 : 0,
    inBase: d.inBase, in2Base: d.in2Base, outBase: d.outBase,
    ih: d.ih, iw: d.iw, ig: d.ig, oh: band === undefined ? d.oh : band.oy1, ow: d.ow, og: d.og, kh: d.kh, kw: d.kw, stride: d.stride, pad: d.pad, igCount: d.igCount,
    wBase: axi ? 0 : d.wBase, wOgStride: d.wOgStride, wTapStride: d.wTapStride, pBase: axi ? 0 : d.pBase,
    inLast: d.inChannels - (d.ig - 1) * L, outLast: d.outChannels - (d.og - 1) * L,
    // A band's RAM holds input rows from iy0: the first output row's window starts (oy0*stride - pad - iy0) rows in.
    startOff: ((band === undefined ? 0 : band.oy0 * d.stride - band.iy0) - d.pad) * d.iw * d.ig - d.pad * d.ig, rowStep: d.stride * d.iw * d.ig, colStep: d.stride * d.ig,
    rowWords: d.iw * d.ig, kxStep: d.kind === 'add' ? 0 : d.ig, in2Delta: d.in2Base - d.inBase,
    // The whole output tensor's words (the output phase and the AXI write read it; tiles run og of its groups).
    outWords: rows * d.ow * (d.tile?.groups ?? d.og), inPixels: d.ih * d.iw,
    shift: d.shift, rounding: roundingCode(d.rounding), preluShift: d.preluShift, min: d.min, max: d.max,
  });
}

export function packWeightWord(c: AccelConfig, w: Int32Array): bigint {
  const mask = (1n << BigInt(c.weightBits)) - 1n;
  let word = 0n;
  for (let i = w.length - 1; i >= 0; i--) word = (word << BigInt(c.weightBits)) | (BigInt(w[i]!) & mask);
  return word;
}

export function packParamWord(c: AccelConfig, lanes: readonly LaneParams[]): bigint {
  const fields = paramFields(c);
  const lw = BigInt(paramLaneWidth(c));
  let word = 0n;
  for (let l = lanes.length - 1; l >= 0; l--) word = (word << lw) | pack(fields, { ...lanes[l]! });
  return word;
}

/** The band read kinds in descriptor code order (rdKind). */
export const READ_KINDS = ['none', 'input', 'a', 'ab'] as const;

const wordCounts = new WeakMap<AccelProgram, { weights: number; params: number }[]>();

/**
 * Weight and parameter words of descriptor i: from its base to the next higher base of any
 * descriptor (each layer's or tile's words are contiguous; the bands of a layer share them).
 */
export function layerWords(p: AccelProgram, i: number): { weights: number; params: number } {
  let all = wordCounts.get(p);
  if (all === undefined) {
    const nextAbove = (bases: number[], end: number): Map<number, number> => {
      const sorted = [...new Set(bases)].sort((a, b) => a - b);
      return new Map(sorted.map((b, k) => [b, (sorted[k + 1] ?? end) - b]));
    };
    const w = nextAbove(p.layers.map((d) => d.wBase), p.weightWords.length);
    const q = nextAbove(p.layers.map((d) => d.pBase), p.paramWords.length);
    all = p.layers.map((d) => ({ weights: w.get(d.wBase)!, params: q.get(d.pBase)! }));
    wordCounts.set(p, all);
  }
  return all[i]!;
}

/** The three ROM images of a program. */
export function programImages(p: AccelProgram): { program: bigint[]; weights: bigint[]; params: bigint[] } {
  return {
    program: p.layers.map((d, i) => packDescriptor(p.config, d, i === p.layers.length - 1, layerWords(p, i))),
    weights: p.weightWords.map((w) => packWeightWord(p.config, w)),
    params: p.paramWords.map((w) => packParamWord(p.config, w)),
  };
}

/**
 * Input beats of a loadable accelerator: {data, address, tag}, tag 0 = an
 * activation, 1 = a weight word, 2 = a parameter word, 3 = a descriptor.
 */
export const LOAD_TAGS = { pixel: 0, weight: 1, param: 2, program: 3 } as const;
export const loadAddrBits = (c: AccelConfig): number => Math.max(c.actAddrBits, c.weightAddrBits, c.paramAddrBits, c.progAddrBits);
export const loadDataBits = (c: AccelConfig): number => Math.max(c.actBits, weightWordWidth(c), paramWordWidth(c), descriptorWidth(c));
export const loadBeatBits = (c: AccelConfig): number => 2 + loadAddrBits(c) + loadDataBits(c);

export function loadBeat(c: AccelConfig, tag: number, addr: number, data: bigint): bigint {
  const dataBits = BigInt(loadDataBits(c));
  const masked = data & ((1n << dataBits) - 1n);
  return (masked << BigInt(2 + loadAddrBits(c))) | (BigInt(addr) << 2n) | BigInt(tag);
}

/** The beats that load a program's memories into a loadable accelerator. */
export function programLoadBeats(p: AccelProgram): bigint[] {
  const img = programImages(p);
  const c = p.config;
  return [
    ...img.weights.map((w, i) => loadBeat(c, LOAD_TAGS.weight, i, w)),
    ...img.params.map((w, i) => loadBeat(c, LOAD_TAGS.param, i, w)),
    ...img.program.map((w, i) => loadBeat(c, LOAD_TAGS.program, i, w)),
  ];
}
