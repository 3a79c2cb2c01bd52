/**
 * Random small integer networks for the accelerator's properties: fast-check
 * draws the structure (layer sequence, channels, kernels, strides, padding,
 * bit widths, activation kinds, residual adds, average and padded max pooling,
 * rounding modes) and a seed; the values come from a seeded generator so a
 * case replays from the structure alone and shrinking works on the structure.
 */
import fc from 'fast-check';
import { ROUNDING_MODES, type RoundingMode, accumulatorShape, boundsNumber, rangeOf, shape } from '../arith/index.ts';
import { convOutputSize, type IntLayer, type IntNetwork, type OutputSpec, INT_NETWORK_FORMAT, INT_NETWORK_VERSION, validateIntNetwork, weightRange } from '../model/index.ts';

export type LayerSpec =
  | { readonly op: 'conv'; readonly k: number; readonly s: number; readonly p: number; readonly c: number; readonly wb: number; readonly act: Act; readonly bits: number; readonly signed: boolean; readonly r: RoundingMode; readonly norm: boolean; readonly prelu: boolean }
  | { readonly op: 'dw'; readonly k: number; readonly s: number; readonly p: number; readonly wb: number; readonly act: Act; readonly bits: number; readonly signed: boolean; readonly r: RoundingMode; readonly norm: boolean; readonly prelu: boolean }
  | { readonly op: 'dense'; readonly c: number; readonly wb: number; readonly act: Act; readonly bits: number; readonly signed: boolean; readonly r: RoundingMode; readonly norm: boolean; readonly prelu: boolean }
  | { readonly op: 'pool'; readonly global: boolean; readonly r: RoundingMode }
  | { readonly op: 'maxpool'; readonly k: number; readonly s: number; readonly p: number; readonly clip: boolean }
  | { readonly op: 'add'; readonly back: number; readonly r: RoundingMode; readonly act: Act; readonly prelu: boolean };
export type Act = 'none' | 'relu' | 'clip';

export interface NetSpec {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly bits: number;
  readonly signed: boolean;
  readonly layers: readonly LayerSpec[];
  readonly seed: number;
}

const rounding = fc.constantFrom(...ROUNDING_MODES);
const act = fc.constantFrom<Act>('none', 'relu', 'clip');
const outT = { bits: fc.integer({ min: 2, max: 8 }), signed: fc.boolean(), r: rounding, norm: fc.boolean(), prelu: fc.boolean(), act, wb: fc.integer({ min: 2, max: 8 }) };
function maxPoolArb(): fc.Arbitrary<LayerSpec> {
  return fc.record({ op: fc.constant('maxpool' as const), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), clip: fc.boolean() });
}
const layerArb: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ op: fc.constant('conv' as const), k: fc.constantFrom(1, 3), s: fc.constantFrom(1, 2), p: fc.constantFrom(0, 1), c: fc.integer({ min: 1, max: 9 }), ...outT }),
  fc.record({ op: fc.constant('dw' as const), k: fc.integer({ min: 1, max: 3 }), s: fc.constantFrom(1, 2), p: fc.constantFrom(0, 1), ...outT }),
  fc.record({ op: fc.constant('dense' as const), c: fc.integer({ min: 1, max: 6 }), ...outT }),
  fc.record({ op: fc.constant('pool' as const), global: fc.boolean(), r: rounding }),
  // Padding up to k - 1 on signed tensors (where a winning pad would show); clip: output bounds narrower than the input's range.
  maxPoolArb(),
  fc.record({ op: fc.constant('add' as const), back: fc.integer({ min: 1, max: 3 }), r: rounding, act, prelu: fc.boolean() }),
);

export const netSpecArb: fc.Arbitrary<NetSpec> = fc.record({
  h: fc.integer({ min: 1, max: 7 }),
  w: fc.integer({ min: 1, max: 7 }),
  c: fc.integer({ min: 1, max: 6 }),
  bits: fc.integer({ min: 2, max: 8 }),
  signed: fc.boolean(),
  layers: fc.array(layerArb, { minLength: 1, maxLength: 5 }),
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
});

/** Random networks with at least two max pools (one of them first, on the possibly signed input), anywhere among the other layers. */
export const maxPoolNetSpecArb: fc.Arbitrary<NetSpec> = fc
  .tuple(netSpecArb, maxPoolArb(), maxPoolArb(), fc.nat())
  .map(([spec, first, other, at]) => {
    const rest = [...spec.layers];
    rest.splice(at % (rest.length + 1), 0, other);
    return { ...spec, layers: [first, ...rest] };
  });

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(u * (hi - lo + 1));
  };
}

interface Tensor {
  readonly name: string;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly bits: number;
  readonly signed: boolean;
}

function outputSpec(bits: number, signed: boolean, a: Act, R: (lo: number, hi: number) => number): OutputSpec {
  const { lo, hi } = boundsNumber(shape(bits, signed));
  const min = a === 'none' ? lo : Math.max(lo, 0);
  const max = a === 'clip' ? Math.max(min, R(min, hi)) : hi;
  return { bits, signed, scale: 0.125, min, max };
}

const convOut = convOutputSize;

/** Build the integer network a spec describes; layers that do not fit the tensor shape are skipped. */
export function buildNetwork(spec: NetSpec): IntNetwork {
  const R = rng(spec.seed);
  const tensors: Tensor[] = [{ name: 'input', h: spec.h, w: spec.w, c: spec.c, bits: spec.bits, signed: spec.signed }];
  const layers: IntLayer[] = [];
  spec.layers.forEach((ls, i) => {
    const x = tensors[tensors.length - 1]!;
    const name = `l${i}_${ls.op}`;
    if (ls.op === 'pool') {
      const k = ls.global ? 0 : 2;
      if (!ls.global && (x.h < 2 || x.w < 2)) return;
      const count = ls.global ? x.h * x.w : 4;
      // Only the roundings the accelerator runs without a remainder flag (the compiler refuses the others).
      const pow2 = (count & (count - 1)) === 0;
      const r: RoundingMode = pow2 || ls.r === 'rdn' || ls.r === 'rnu' || (ls.r === 'rna' && (!x.signed || count % 2 === 1)) ? ls.r : 'rnu';
      const { lo, hi } = boundsNumber(shape(x.bits, x.signed));
      layers.push({ op: 'avgPool', name, input: x.name, kernel: ls.global ? 'global' : k, stride: 2, rounding: r, output: { bits: x.bits, signed: x.signed, scale: 0.125, min: lo, max: hi } });
      tensors.push({ ...x, name, h: ls.global ? 1 : convOut(x.h, 2, 2, 0), w: ls.global ? 1 : convOut(x.w, 2, 2, 0) });
      return;
    }
    if (ls.op === 'maxpool') {
      const p = Math.min(ls.p, ls.k - 1);
      const oh = convOut(x.h, ls.k, ls.s, p);
      const ow = convOut(x.w, ls.k, ls.s, p);
      if (oh < 1 || ow < 1) return;
      const { lo, hi } = boundsNumber(shape(x.bits, x.signed));
      const min = ls.clip ? R(lo, Math.max(lo, Math.floor((lo + hi) / 2))) : lo;
      const max = ls.clip ? R(min, hi) : hi;
      layers.push({ op: 'maxPool', name, input: x.name, kernel: ls.k, stride: ls.s, padding: p, output: { bits: x.bits, signed: x.signed, scale: 0.125, min, max } });
      tensors.push({ ...x, name, h: oh, w: ow });
      return;
    }
    if (ls.op === 'add') {
      let candidates = tensors.filter((t) => t !== x && t.h === x.h && t.w === x.w && t.c === x.c);
      let a = x;
      if (candidates.length === 0) {
        // No earlier tensor of this shape: make a residual block, a shape-keeping depthwise layer then the add.
        weighted({ op: 'dw', k: 3, s: 1, p: 1, wb: 4, act: 'relu', bits: x.bits, signed: x.signed, r: ls.r, norm: false, prelu: false }, `${name}_dw`);
        a = tensors[tensors.length - 1]!;
        candidates = [x];
      }
      const other = candidates[candidates.length - 1 - ((ls.back - 1) % candidates.length)]!;
      const bits = Math.max(a.bits, other.bits) + 1;
      const signed = a.signed || other.signed || ls.act === 'none';
      const o = outputSpec(Math.min(bits, 8), signed, ls.act, R);
      const m1 = R(1, 60);
      // Alignment multipliers are unsigned scaleBits fractions (the integer network rules check them against u8).
      const m2 = R(0, 60);
      const shift = R(3, 7);
      layers.push({
        op: 'add', name, input: a.name, with: other.name,
        align: { arithmetic: 'integer', multipliers: [m1, m2], shift, scaleBits: 8, rounding: ls.r },
        ...(ls.prelu ? { prelu: { arithmetic: 'integer' as const, slopes: Array.from({ length: a.c }, () => R(-40, 40)), shift: R(0, 6), slopeBits: 8 } } : {}),
        output: o,
      });
      tensors.push({ name, h: a.h, w: a.w, c: a.c, bits: o.bits, signed: o.signed });
      return;
    }
    weighted(ls, name);
  });
  function weighted(ls: Extract<LayerSpec, { op: 'conv' | 'dw' | 'dense' }>, name: string): void {
    const x = tensors[tensors.length - 1]!;
    let k = 1, s = 1, p = 0, outC: number, oh: number, ow: number, depth: number;
    if (ls.op === 'dense') {
      outC = ls.c; oh = 1; ow = 1; depth = x.h * x.w * x.c;
    } else {
      k = ls.k; s = ls.s; p = Math.min(ls.p, k - 1);
      oh = convOut(x.h, k, s, p); ow = convOut(x.w, k, s, p);
      if (oh < 1 || ow < 1) return;
      outC = ls.op === 'conv' ? ls.c : x.c;
      depth = ls.op === 'conv' ? k * k * x.c : k * k;
    }
    const wr = weightRange(ls.wb);
    const nW = ls.op === 'dw' ? depth * outC : depth * outC;
    const weights = Array.from({ length: nW }, () => R(Number(wr.lo), Number(wr.hi)));
    const acc = accumulatorShape(wr, rangeOf(shape(x.bits, x.signed)), depth);
    const o = outputSpec(ls.bits, ls.signed, ls.act, R);
    const pc = (lo: number, hi: number): number[] => Array.from({ length: outC }, () => R(lo, hi));
    const normMul = ls.norm ? pc(64, 255) : [];
    const scaleMul = pc(64, 255);
    // Shift so that a typical scaled accumulator (sqrt(depth) products of half-range values) spans the output range.
    const typical = 0.5 * Math.log2(depth) + Math.max(0, ls.wb - 2) + Math.max(0, x.bits - 2) + (ls.norm ? 7 : 0) + 7;
    const shift = Math.max(0, Math.round(typical) - (ls.bits - 1) + R(-1, 1));
    const span = 2 ** Math.max(0, Math.round(0.5 * Math.log2(depth) + Math.max(0, ls.wb - 2) + Math.max(0, x.bits - 2)));
    layers.push({
      ...(ls.op === 'conv' ? { op: 'conv2d' as const, outChannels: outC, kernel: k, stride: s, padding: p } : ls.op === 'dw' ? { op: 'depthwiseConv2d' as const, kernel: k, stride: s, padding: p } : { op: 'dense' as const, outFeatures: outC }),
      name, input: x.name, weights, weightBits: ls.wb, weightScales: [0.5],
      accumulator: { width: acc.width, signed: acc.signed },
      requant: {
        kind: 'stages', rounding: ls.r, shift,
        ...(ls.norm ? { norm: { arithmetic: 'integer' as const, multipliers: normMul, offsets: pc(-span * 128, span * 128), multiplierBits: 8 } } : {}),
        scale: { arithmetic: 'integer', multipliers: scaleMul, offsets: pc(-(2 ** (shift - 1 > 0 ? shift - 1 : 0)), 2 ** (shift - 1 > 0 ? shift - 1 : 0)), scaleBits: 8 },
        ...(ls.prelu ? { prelu: { arithmetic: 'integer' as const, slopes: pc(-40, 40), shift: R(0, 6), slopeBits: 8 } } : {}),
      },
      output: o,
    } as IntLayer);
    tensors.push({ name, h: oh, w: ow, c: outC, bits: o.bits, signed: o.signed });
  }
  if (layers.length === 0) {
    const x = tensors[0]!;
    layers.push({ op: 'avgPool', name: 'only_pool', input: 'input', kernel: 'global', stride: 1, rounding: 'rdn', output: { bits: x.bits, signed: x.signed, scale: 0.125, min: boundsNumber(shape(x.bits, x.signed)).lo, max: boundsNumber(shape(x.bits, x.signed)).hi } });
  }
  return validateIntNetwork({
    format: INT_NETWORK_FORMAT, version: INT_NETWORK_VERSION, name: 'random', recipe: { name: 'random', techniques: {} },
    input: { height: spec.h, width: spec.w, channels: spec.c, tensor: { bits: spec.bits, signed: spec.signed, scale: 0.125 } },
    layers,
  }, 'random network');
}

/** A random input for the network, from a seed. */
export function randomInput(net: IntNetwork, seed: number): Int32Array {
  const R = rng(seed);
  const t = net.input.tensor;
  const { lo, hi } = boundsNumber(shape(t.bits, t.signed));
  return Int32Array.from({ length: net.input.height * net.input.width * net.input.channels }, () => R(lo, hi));
}
