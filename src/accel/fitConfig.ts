/**
 * The smallest configuration that runs a network at a given lane count: every
 * operand width and address width just wide enough for the compiled program
 * (`pikehdl gen --model` uses it unless a field is set explicitly). Narrow
 * widths keep the requant datapath below 64 bits, which makes the Verilated
 * model several times faster to build and run, and the FPGA netlist smaller.
 */
import { bitLength } from '../arith/index.ts';
import type { IntNetwork } from '../model/index.ts';
import { compileAccel } from './compile.ts';
import { AccelCompileError } from './errors.ts';
import { type AccelConfig, parseAccelConfig } from './config.ts';
import type { AccelProgram } from './program.ts';

const WIDEST = { actBits: 17, weightBits: 16, accBits: 48, normMulBits: 24, normOffBits: 48, scaleMulBits: 24, scaleOffBits: 48, preluBits: 24, shiftBits: 7, dimBits: 12, actAddrBits: 20, weightAddrBits: 20, paramAddrBits: 16, progAddrBits: 10 };

const sbits = (v: number): number => (v >= 0 ? bitLength(BigInt(v)) + 1 : bitLength(BigInt(-v - 1)) + 1);
const maxS = (vs: Iterable<number>): number => {
  let b = 2;
  for (const v of vs) b = Math.max(b, sbits(v));
  return b;
};
const ubits = (v: number): number => Math.max(1, bitLength(BigInt(v)));

/** The accumulator width an AccelCompileError says a layer needs, if that is what it refused. */
function neededAccBits(e: unknown): number | undefined {
  if (!(e instanceof AccelCompileError) || e.field !== 'accumulator') return undefined;
  const m = /need accBits >= (\d+)/.exec(e.need);
  return m === null ? undefined : Number(m[1]);
}

/** Fields given in `fixed` are kept as given (and must still fit). */
export function fitAccelConfig(net: IntNetwork, fixed: Readonly<Record<string, unknown>> = {}): AccelConfig {
  const wide = parseAccelConfig({ ...WIDEST, ...fixed });
  const p: AccelProgram = compileAccel(net, wide);
  const params = p.paramWords.flat();
  // Extremes only: a 224x224 ResNet-18 has 46k weight words of 256 values, too many to spread into one array.
  let wLo = 0;
  let wHi = 0;
  for (const w of p.weightWords) for (const v of w) if (v < wLo) wLo = v; else if (v > wHi) wHi = v;
  const ls = p.layers;
  // accumulators: the compiler's check uses the same bound; find the least width it accepts.
  // A compile of a 224x224 network costs about a second. The compiler's refusal names the width
  // the first layer that does not fit needs, and every narrower width fails on that layer too, so
  // the search tries exactly that width next (from 4 up: typically two or three compiles, where
  // bisecting [4, 48] took six); a refusal that names no width halves the interval as before.
  let lo = 4;
  let hi = 48;
  let next: number | undefined = lo;
  while (lo < hi) {
    const mid: number = next ?? (lo + hi) >> 1;
    try {
      compileAccel(net, parseAccelConfig({ ...WIDEST, ...fixed, accBits: mid }));
      hi = mid;
      next = undefined;
    } catch (e) {
      lo = mid + 1; /* too narrow */
      const need = neededAccBits(e);
      if (need !== undefined && need > lo) lo = Math.min(need, hi);
      next = need !== undefined ? lo : undefined;
    }
  }
  const accBits = lo;
  const fitted = {
    lanes: wide.lanes,
    actBits: Math.max(maxS(ls.flatMap((l) => [l.min, l.max])), maxS([p.input.min, p.input.max])),
    weightBits: maxS([wLo, wHi]),
    accBits,
    normMulBits: maxS(params.map((q) => q.normMul)),
    normOffBits: maxS(params.map((q) => q.normOff)),
    scaleMulBits: maxS(params.map((q) => q.scaleMul)),
    scaleOffBits: maxS(params.map((q) => q.scaleOff)),
    preluBits: maxS(params.map((q) => q.prelu)),
    shiftBits: ubits(Math.max(...ls.flatMap((l) => [l.shift, l.preluShift]))),
    dimBits: ubits(Math.max(p.input.height, p.input.width, ...ls.flatMap((l) => [l.ih, l.iw, l.ig, l.oh, l.ow, l.og, l.kh, l.kw, l.stride, l.pad, l.igCount]))),
    actAddrBits: Math.max(2, ubits(p.actWordsUsed - 1)),
    weightAddrBits: Math.max(2, ubits(p.weightWords.length - 1)),
    paramAddrBits: Math.max(1, ubits(p.paramWords.length - 1)),
    progAddrBits: Math.max(1, ubits(ls.length - 1)),
    outBits: wide.outBits,
  };
  return parseAccelConfig({ ...fitted, ...fixed });
}
