/**
 * Where an AXI build's data lives in external memory, and the bytes of each
 * region. Regions: program (descriptors), weights, params (all layers, in
 * layer order), input and output (activation words: `lanes` activations per
 * word, NHWC with channel groups, as in the activation RAM), and in a spill
 * build acts (activation words packed densely: actPacking.ts). Every other on-chip
 * word is stored as ceil(bits / data bits) bus beats, little-endian, the top
 * beat zero-padded (axiSettings.ts), so the DMA moves words without repacking.
 * Each region starts on a 4 KiB boundary; address 0 .. 0xFFF belongs to no
 * region, so a base register left at 0 is an access violation, not a silent read.
 */
import type { AccelProgram } from './program.ts';
import { type AxiSettings, axiSettings, inputElementBytes, wordBeats } from './axiSettings.ts';
import { layerWords, packWeightWord, programImages } from './layout.ts';
import { actPacking } from './actPacking.ts';

export type RegionName = 'program' | 'weights' | 'params' | 'input' | 'output' | 'acts';

export interface MemoryRegion {
  readonly name: RegionName;
  readonly base: number;
  readonly bytes: number;
  /** What the accelerator may do there: read the program, weights, parameters and input; write the output; both in the activation region (spill). */
  readonly access: 'read' | 'write' | 'rw';
  readonly words: number;
  readonly beatsPerWord: number;
  /** Bytes from one word to the next: beatsPerWord whole beats, except in the acts region, which is packed densely (actPacking.ts). */
  readonly wordBytes: number;
}

export interface AxiMemoryMap {
  readonly settings: AxiSettings;
  readonly regions: readonly MemoryRegion[];
  /** One past the last byte of the highest region. */
  readonly end: number;
}

const PAGE = 4096;
const roundUp = (v: number, to: number): number => Math.ceil(v / to) * to;

export function inputWords(p: AccelProgram): number {
  return p.input.height * p.input.width * p.input.groups;
}
/** Beats of the input region: the NHWC elements packed back to back. */
export function inputBeats(p: AccelProgram): number {
  const s = axiSettings(p.config);
  return Math.ceil((p.input.height * p.input.width * p.input.channels * inputElementBytes(p.config)) / s.dataBytes);
}
export function outputWords(p: AccelProgram): number {
  return p.output.height * p.output.width * p.output.groups;
}

/**
 * `skew` (bytes, a multiple of the bus width) moves every region off its page
 * start: tests use it so that bursts would cross 4 KiB boundaries unless the
 * DMA splits them.
 */
export function axiMemoryMap(p: AccelProgram, opts: { readonly start?: number; readonly skew?: number } = {}): AxiMemoryMap {
  const start = opts.start ?? PAGE;
  const skew = opts.skew ?? 0;
  const s = axiSettings(p.config);
  const b = wordBeats(p.config);
  const specs: [RegionName, MemoryRegion['access'], number, number][] = [
    ['program', 'read', p.layers.length, b.program],
    // Weights: per descriptor, full words (conv) or diagonals (every other kind); beatsPerWord is the full word's.
    ['weights', 'read', p.weightWords.length, b.weights],
    ['params', 'read', p.paramWords.length, b.params],
    // The input as elements (inputElementBytes): one "word" per beat.
    ['input', 'read', inputBeats(p), 1],
    ['output', 'write', outputWords(p), b.acts],
    // Spill: every intermediate tensor as activation words (NHWC with channel groups), written by one layer's bands, read by the next's.
    ...(p.spill !== undefined ? [['acts', 'rw', p.spill.actWords, b.acts] as [RegionName, MemoryRegion['access'], number, number]] : []),
  ];
  if (!Number.isInteger(skew) || skew < 0 || skew >= PAGE || skew % s.dataBytes !== 0) throw new RangeError(`axiMemoryMap: skew ${skew} must be a multiple of ${s.dataBytes} below ${PAGE}`);
  let at = start;
  const regions = specs.map(([name, access, words, beatsPerWord]) => {
    const packing = name === 'acts' ? actPacking(p.config) : undefined;
    const bytes = name === 'weights' ? weightRegionBytes(p) : packing !== undefined ? packing.regionBytes(words) : words * beatsPerWord * s.dataBytes;
    const r = Object.freeze({ name, base: at + skew, bytes, access, words, beatsPerWord, wordBytes: packing?.stride ?? beatsPerWord * s.dataBytes });
    at = roundUp(r.base + r.bytes, PAGE);
    return r;
  });
  return Object.freeze({ settings: s, regions: Object.freeze(regions), end: at });
}

/**
 * Each descriptor's weight words in the weights region: byte offset, bytes, and whether they are
 * stored as diagonals. Descriptors with the same weight base (the bands of a layer) share one copy
 * (`shared`: not the first of them).
 */
export function weightLayout(p: AccelProgram): { offset: number; bytes: number; diagonal: boolean; shared: boolean }[] {
  const s = axiSettings(p.config);
  const b = wordBeats(p.config);
  let at = 0;
  const seen = new Map<number, number>();
  return p.layers.map((d, i) => {
    const diagonal = d.kind !== 'conv';
    const bytes = layerWords(p, i).weights * (diagonal ? b.diagWeights : b.weights) * s.dataBytes;
    const first = seen.get(d.wBase);
    if (first !== undefined) return { offset: first, bytes, diagonal, shared: true };
    seen.set(d.wBase, at);
    const l = { offset: at, bytes, diagonal, shared: false };
    at += bytes;
    return l;
  });
}

const weightRegionBytes = (p: AccelProgram): number => weightLayout(p).reduce((t, l) => t + (l.shared ? 0 : l.bytes), 0);

export function region(map: AxiMemoryMap, name: RegionName): MemoryRegion {
  return map.regions.find((r) => r.name === name)!;
}

/** Words -> bytes, each word in `beats` beats of `dataBytes`, little-endian. */
export function wordsToBytes(words: readonly bigint[], beats: number, dataBytes: number): Uint8Array {
  const per = beats * dataBytes;
  const out = new Uint8Array(words.length * per);
  words.forEach((w, i) => {
    let v = w;
    for (let k = 0; k < per; k++) {
      out[i * per + k] = Number(v & 0xffn);
      v >>= 8n;
    }
    if (v !== 0n) throw new Error(`wordsToBytes: word ${i} is wider than ${beats} beats (this is a bug)`);
  });
  return out;
}

export function bytesToWords(bytes: Uint8Array, beats: number, dataBytes: number): bigint[] {
  const per = beats * dataBytes;
  const out: bigint[] = [];
  for (let i = 0; i + per <= bytes.length; i += per) {
    let v = 0n;
    for (let k = per - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[i + k]!);
    out.push(v);
  }
  return out;
}

/** The input tensor (NHWC) as the input region's bytes: elements of inputElementBytes, little-endian, zero-padded to whole beats. */
export function inputBytes(p: AccelProgram, input: Int32Array): Uint8Array {
  const { height, width, channels } = p.input;
  if (input.length !== height * width * channels) throw new RangeError(`accelerator input: expected ${height * width * channels} values, got ${input.length}`);
  const eb = inputElementBytes(p.config);
  const out = new Uint8Array(inputBeats(p) * axiSettings(p.config).dataBytes);
  input.forEach((v, i) => {
    for (let k = 0; k < eb; k++) out[i * eb + k] = (v >> (8 * k)) & 0xff;
  });
  return out;
}

/** The input tensor (NHWC) as activation words, as the on-chip loader packs them. */
export function inputActWords(p: AccelProgram, input: Int32Array): bigint[] {
  const { height, width, channels, groups } = p.input;
  const L = p.config.lanes;
  const w = BigInt(p.config.actBits);
  if (input.length !== height * width * channels) throw new RangeError(`accelerator input: expected ${height * width * channels} values, got ${input.length}`);
  const words: bigint[] = [];
  for (let px = 0; px < height * width; px++) {
    for (let g = 0; g < groups; g++) {
      let word = 0n;
      for (let l = L - 1; l >= 0; l--) {
        const ch = g * L + l;
        const v = ch < channels ? BigInt.asUintN(p.config.actBits, BigInt(input[px * channels + ch]!)) : 0n;
        word = (word << w) | v;
      }
      words.push(word);
    }
  }
  return words;
}

/** Output activation words -> the final tensor (NHWC, channels unpadded). */
export function outputTensor(p: AccelProgram, words: readonly bigint[]): Int32Array {
  const { height, width, channels, groups } = p.output;
  const L = p.config.lanes;
  const ab = p.config.actBits;
  const out = new Int32Array(height * width * channels);
  for (let px = 0; px < height * width; px++) {
    for (let ch = 0; ch < channels; ch++) {
      const word = words[px * groups + Math.floor(ch / L)]!;
      out[px * channels + ch] = Number(BigInt.asIntN(ab, word >> BigInt((ch % L) * ab)));
    }
  }
  return out;
}

/** The weights region: per descriptor, full words or (diagonal kinds) the diagonal's lanes weights only. */
export function weightBytes(p: AccelProgram): Uint8Array {
  const c = p.config;
  const s = axiSettings(c);
  const b = wordBeats(c);
  const layout = weightLayout(p);
  const out = new Uint8Array(weightRegionBytes(p));
  const mask = (1n << BigInt(c.weightBits)) - 1n;
  p.layers.forEach((d, i) => {
    const l = layout[i]!;
    if (l.shared) return;
    const words = p.weightWords.slice(d.wBase, d.wBase + layerWords(p, i).weights);
    const packed = l.diagonal
      ? wordsToBytes(words.map((w) => {
        let v = 0n;
        for (let r = c.lanes - 1; r >= 0; r--) v = (v << BigInt(c.weightBits)) | (BigInt(w[r * c.lanes + r]!) & mask);
        return v;
      }), b.diagWeights, s.dataBytes)
      : wordsToBytes(words.map((w) => packWeightWord(c, w)), b.weights, s.dataBytes);
    out.set(packed, l.offset);
  });
  return out;
}

/** The bytes of every read region for one program and one input. */
export function axiImages(p: AccelProgram, map: AxiMemoryMap, input: Int32Array): Record<Exclude<RegionName, 'output' | 'acts'>, Uint8Array> {
  const img = programImages(p);
  const db = map.settings.dataBytes;
  const beats = (n: RegionName): number => region(map, n).beatsPerWord;
  return {
    program: wordsToBytes(img.program, beats('program'), db),
    weights: weightBytes(p),
    params: wordsToBytes(img.params, beats('params'), db),
    input: inputBytes(p, input),
  };
}
