/**
 * The TypeScript interpreter of the layer program: the same activation RAM
 * (words of `lanes` values), the same addresses, the same loop order and the
 * same per-lane arithmetic as the RTL. It is checked against runInt bit for
 * bit, so the schedule is verified before any RTL runs, and it gives the
 * activation RAM after every layer for locating a mismatch.
 */
import type { AccelProgram, LayerDesc } from './program.ts';
import { axiSettings, inputElementBytes, wordBeats } from './axiSettings.ts';
import { requantLane } from './requantLane.ts';
import { actPacking } from './actPacking.ts';

export interface LayerTrace {
  readonly name: string;
  /** The layer's output tensor read back from the activation RAM (NHWC, channels unpadded). */
  readonly output: Int32Array;
  readonly macs: number;
  readonly outputElements: number;
  readonly taps: number;
}

export interface ProgramRun {
  /** The final tensor (NHWC). */
  readonly output: Int32Array;
  /** Index of its largest element (first on ties). */
  readonly predicted: number;
  readonly layers: readonly LayerTrace[];
}

/** Words of `lanes` values; Int32Array per word. */
type Ram = Int32Array[];

function readTensor(ram: Ram, base: number, h: number, w: number, c: number, lanes: number): Int32Array {
  const g = Math.ceil(c / lanes);
  const out = new Int32Array(h * w * c);
  for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) out[p * c + ch] = ram[base + p * g + Math.floor(ch / lanes)]?.[ch % lanes] ?? 0; // words a later tile writes read 0 until then
  return out;
}

/** Load the input tensor (NHWC) into the RAM as the hardware's loader does. */
export function loadInput(program: AccelProgram, input: Int32Array, ram: Ram): void {
  const { height, width, channels, groups, base } = program.input;
  const L = program.config.lanes;
  if (input.length !== height * width * channels) throw new RangeError(`accelerator input: expected ${height * width * channels} values, got ${input.length}`);
  for (let p = 0; p < height * width; p++) {
    for (let g = 0; g < groups; g++) {
      const word = new Int32Array(L);
      for (let l = 0; l < L; l++) {
        const ch = g * L + l;
        if (ch < channels) word[l] = input[p * channels + ch]!;
      }
      ram[base + p * groups + g] = word;
    }
  }
}

/** External memory of a spill build: the activation region and the output region, in activation words. */
interface External {
  readonly acts: Ram;
  readonly out: Ram;
}

/**
 * A band's DMA reads, as the RTL's DMA does them: input elements from a beat-aligned offset (the
 * first readSkip elements of the first beat skipped) packed into words at inBase, or activation
 * words from the activation region to inBase (and the second input's to in2Base).
 */
function readBand(program: AccelProgram, d: LayerDesc, input: Int32Array, ram: Ram, ext: External): void {
  const band = d.band!;
  const L = program.config.lanes;
  const stride = actPacking(program.config).stride;
  if (band.read === 'input') {
    const { channels, groups } = program.input;
    const e0 = (band.readOffset + band.readSkip * inputElementBytes(program.config)) / inputElementBytes(program.config);
    const pixels = band.readElems / channels;
    for (let px = 0; px < pixels; px++) {
      for (let g = 0; g < groups; g++) {
        const word = new Int32Array(L);
        for (let l = 0; l < L && g * L + l < channels; l++) word[l] = input[e0 + px * channels + g * L + l]!;
        ram[d.inBase + px * groups + g] = word;
      }
    }
  } else if (band.read !== 'none') {
    const copy = (from: number, to: number): void => {
      for (let w = 0; w < band.readCount; w++) ram[to + w] = ext.acts[from / stride + w] ?? new Int32Array(L);
    };
    copy(band.readOffset, d.inBase);
    if (band.read === 'ab') copy(band.read2Offset, d.in2Base);
  }
}

function writeBand(program: AccelProgram, d: LayerDesc, ram: Ram, ext: External, last: boolean): void {
  const band = d.band!;
  const s = axiSettings(program.config);
  const actBytes = wordBeats(program.config).acts * s.dataBytes;
  const words = (band.oy1 - band.oy0) * d.ow * (d.tile?.groups ?? d.og);
  const from = d.outBase - (d.tile?.group0 ?? 0);
  const to = last ? ext.out : ext.acts;
  // The acts region is packed densely (actPacking.ts), the output region in whole beats per word.
  const at = band.writeOffset / (last ? actBytes : actPacking(program.config).stride);
  for (let w = 0; w < words; w++) to[at + w] = ram[from + w] ?? new Int32Array(program.config.lanes);
}

function runLayer(program: AccelProgram, d: LayerDesc, ram: Ram): { macs: number; taps: number } {
  const L = program.config.lanes;
  const zero = new Int32Array(L);
  // Max pooling's padded taps read the layer's lower clamp bound: it never wins after the clamp.
  const pad = d.kind === 'max' ? new Int32Array(L).fill(d.min) : zero;
  const acc = new Float64Array(L);
  let macs = 0;
  let taps = 0;
  // A band runs output rows [oy0, oy1) with its input rows from iy0 in the RAM; padding is decided on global rows.
  const oy0 = d.band?.oy0 ?? 0;
  const iy0 = d.band?.iy0 ?? 0;
  for (let oy = oy0; oy < (d.band?.oy1 ?? d.oh); oy++) {
    for (let ox = 0; ox < d.ow; ox++) {
      for (let og = 0; og < d.og; og++) {
        acc.fill(0);
        const outLanes = Math.min(L, d.outChannels - og * L);
        for (let ky = 0; ky < d.kh; ky++) {
          for (let kx = 0; kx < d.kw; kx++) {
            for (let ig = 0; ig < d.igCount; ig++) {
              taps++;
              let x: Int32Array;
              if (d.kind === 'add') x = ram[(kx === 0 ? d.inBase : d.in2Base) + ((oy - iy0) * d.iw + ox) * d.ig + og] ?? zero;
              else {
                const iy = oy * d.stride - d.pad + ky;
                const ix = ox * d.stride - d.pad + kx;
                const inside = iy >= 0 && iy < d.ih && ix >= 0 && ix < d.iw;
                const g = d.kind === 'conv' ? ig : og;
                x = inside ? ram[d.inBase + ((iy - iy0) * d.iw + ix) * d.ig + g]! : pad;
              }
              const w = program.weightWords[d.wBase + og * d.wOgStride + (ky * d.kw + kx) * d.wTapStride + ig]!;
              const first = ky === 0 && kx === 0 && ig === 0;
              for (let r = 0; r < L; r++) {
                let s = 0;
                for (let c = 0; c < L; c++) s += w[r * L + c]! * x[c]!;
                if (d.kind !== 'max') acc[r]! += s;
                else acc[r] = first || s > acc[r]! ? s : acc[r]!;
              }
              macs += d.kind === 'conv' ? outLanes * Math.min(L, d.inChannels - ig * L) : outLanes;
            }
          }
        }
        const params = program.paramWords[d.pBase + og]!;
        const word = new Int32Array(L);
        for (let r = 0; r < outLanes; r++) word[r] = requantLane(BigInt(acc[r]!), params[r]!, d.shift, d.rounding, d.preluShift, d.min, d.max);
        ram[d.outBase + ((oy - oy0) * d.ow + ox) * (d.tile?.groups ?? d.og) + og] = word;
      }
    }
  }
  return { macs, taps };
}

export function runProgram(program: AccelProgram, input: Int32Array): ProgramRun {
  const ram: Ram = [];
  const L = program.config.lanes;
  if (program.config.spill === true) return runBands(program, input, ram);
  loadInput(program, input, ram);
  const traces: LayerTrace[] = program.layers.map((d) => {
    const { macs, taps } = runLayer(program, d, ram);
    // A tile's trace is its whole layer's tensor as far as computed (complete after the last tile).
    const output = d.tile ? readTensor(ram, d.outBase - d.tile.group0, d.oh, d.ow, d.tile.layerOutChannels, L) : readTensor(ram, d.outBase, d.oh, d.ow, d.outChannels, L);
    return { name: d.name, output, macs, outputElements: d.oh * d.ow * d.outChannels, taps };
  });
  return finish(traces);
}

function finish(traces: LayerTrace[]): ProgramRun {
  const output = traces[traces.length - 1]!.output;
  let best = 0;
  for (let i = 1; i < output.length; i++) if (output[i]! > output[best]!) best = i;
  return { output, predicted: best, layers: traces };
}

/**
 * A spill build's program: per descriptor the DMA's reads into the RAM, the loop nest over its
 * band, and its write to external memory; traces are read back from external memory when the
 * program spills (from the RAM when it fits, where the layers' tensors stay).
 */
function runBands(program: AccelProgram, input: Int32Array, ram: Ram): ProgramRun {
  const L = program.config.lanes;
  const ext: External = { acts: [], out: [] };
  const lastName = program.layers[program.layers.length - 1]!.name;
  if (input.length !== program.input.height * program.input.width * program.input.channels) throw new RangeError(`accelerator input: expected ${program.input.height * program.input.width * program.input.channels} values, got ${input.length}`);
  const traces: LayerTrace[] = [];
  program.layers.forEach((d, i) => {
    readBand(program, d, input, ram, ext);
    const { macs, taps } = runLayer(program, d, ram);
    const last = d.name === lastName;
    if (d.band!.write) writeBand(program, d, ram, ext, d.band!.toOutput);
    const channels = d.tile?.layerOutChannels ?? d.outChannels;
    // One trace per layer, after its last descriptor (bands and tiles add up).
    const prev = traces[traces.length - 1];
    // The tensor is whole only after the layer's last descriptor: read it once there, not per band.
    const layerDone = program.layers[i + 1]?.name !== d.name;
    const output = !layerDone
      ? (prev?.name === d.name ? prev.output : new Int32Array(0))
      : program.spill === undefined
        ? readTensor(ram, d.outBase - (d.tile?.group0 ?? 0), d.oh, d.ow, channels, L)
        : readTensor(last ? ext.out : ext.acts, d.band!.tensorWord, d.oh, d.ow, channels, L);
    if (prev !== undefined && prev.name === d.name) traces[traces.length - 1] = { ...prev, output, macs: prev.macs + macs, taps: prev.taps + taps, outputElements: prev.outputElements + d.outputElements };
    else traces.push({ name: d.name, output, macs, outputElements: d.outputElements, taps });
  });
  return finish(traces);
}
