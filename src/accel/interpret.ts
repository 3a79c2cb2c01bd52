/**
 * The TypeScript interpreter of the layer program: the same activation RAM
 * (words of `lanes` values), the same addresses, the same loop order and the
 * same per-lane arithmetic as the RTL. It is checked against runInt bit for
 * bit, so the schedule is verified before any RTL runs, and it gives the
 * activation RAM after every layer for locating a mismatch.
 */
import type { AccelProgram, LayerDesc } from './program.ts';
import { requantLane } from './requantLane.ts';

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

function runLayer(program: AccelProgram, d: LayerDesc, ram: Ram): { macs: number; taps: number } {
  const L = program.config.lanes;
  const zero = new Int32Array(L);
  // Max pooling's padded taps read the layer's lower clamp bound: it never wins after the clamp.
  const pad = d.kind === 'max' ? new Int32Array(L).fill(d.min) : zero;
  const acc = new Float64Array(L);
  let macs = 0;
  let taps = 0;
  for (let oy = 0; oy < d.oh; oy++) {
    for (let ox = 0; ox < d.ow; ox++) {
      for (let og = 0; og < d.og; og++) {
        acc.fill(0);
        const outLanes = Math.min(L, d.outChannels - og * L);
        for (let ky = 0; ky < d.kh; ky++) {
          for (let kx = 0; kx < d.kw; kx++) {
            for (let ig = 0; ig < d.igCount; ig++) {
              taps++;
              let x: Int32Array;
              if (d.kind === 'add') x = ram[(kx === 0 ? d.inBase : d.in2Base) + (oy * d.iw + ox) * d.ig + og] ?? zero;
              else {
                const iy = oy * d.stride - d.pad + ky;
                const ix = ox * d.stride - d.pad + kx;
                const inside = iy >= 0 && iy < d.ih && ix >= 0 && ix < d.iw;
                const g = d.kind === 'conv' ? ig : og;
                x = inside ? ram[d.inBase + (iy * d.iw + ix) * d.ig + g]! : pad;
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
        ram[d.outBase + (oy * d.ow + ox) * (d.tile?.groups ?? d.og) + og] = word;
      }
    }
  }
  return { macs, taps };
}

export function runProgram(program: AccelProgram, input: Int32Array): ProgramRun {
  const ram: Ram = [];
  loadInput(program, input, ram);
  const L = program.config.lanes;
  const traces: LayerTrace[] = program.layers.map((d) => {
    const { macs, taps } = runLayer(program, d, ram);
    // A tile's trace is its whole layer's tensor as far as computed (complete after the last tile).
    const output = d.tile ? readTensor(ram, d.outBase - d.tile.group0, d.oh, d.ow, d.tile.layerOutChannels, L) : readTensor(ram, d.outBase, d.oh, d.ow, d.outChannels, L);
    return { name: d.name, output, macs, outputElements: d.oh * d.ow * d.outChannels, taps };
  });
  const output = traces[traces.length - 1]!.output;
  let best = 0;
  for (let i = 1; i < output.length; i++) if (output[i]! > output[best]!) best = i;
  return { output, predicted: best, layers: traces };
}
