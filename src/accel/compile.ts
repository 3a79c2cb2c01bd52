/**
 * Compile an integer network file (src/model/intNetwork.ts) into a layer
 * program for one accelerator configuration. Everything the hardware cannot
 * run is refused here, before any RTL exists: float stages, TFLite
 * requantization, values wider than the configured operands, geometry beyond
 * the descriptor fields, tensors that do not fit the activation RAM, programs
 * that do not fit the weight, parameter or program ROMs.
 */
import { bitLength, poolDivision, poolSumRange, rangeOf, type RoundingMode } from '../arith/index.ts';
import { type IntNetwork, type IntLayer, type IntLayerShape, type StagesRequant, ModelError, formatPath, tensorShape, walkIntNetwork } from '../model/index.ts';
import { hasFloatStage } from '../ref/requantStages.ts';
import { ActivationAllocator } from './allocate.ts';
import type { AccelConfig } from './config.ts';
import { AccelCompileError } from './errors.ts';
import type { AccelProgram, LaneParams, LayerDesc, LayerKind } from './program.ts';

const pick = (a: readonly number[], c: number): number => (a.length === 1 ? a[0]! : a[c]!);
const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** Signed width needed for the integer range [lo, hi]. */
function signedBitsFor(lo: bigint, hi: bigint): number {
  const m = lo < 0n ? -lo - 1n : 0n;
  return Math.max(bitLength(m > hi ? m : hi < 0n ? 0n : hi) + 1, 1);
}

const IDENTITY: LaneParams = Object.freeze({ normMul: 1, normOff: 0, scaleMul: 1, scaleOff: 0, prelu: 1 });

interface Pending {
  readonly kind: LayerKind;
  readonly layer: IntLayer;
  readonly s: IntLayerShape;
  readonly weightWords: Int32Array[];
  readonly wOgStride: number;
  readonly wTapStride: number;
  readonly params: LaneParams[];
  readonly kh: number;
  readonly kw: number;
  readonly stride: number;
  readonly pad: number;
  readonly shift: number;
  readonly rounding: RoundingMode;
  readonly preluShift: number;
  /** Largest |accumulator| any partial sum can reach. */
  readonly accBound: bigint;
}

export function compileAccel(net: IntNetwork, config: AccelConfig): AccelProgram {
  const { shapes, issues } = walkIntNetwork(net);
  if (issues.length > 0) throw new ModelError(`integer network "${net.name}"`, issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const L = config.lanes;
  const fits = (v: number, bits: number): boolean => v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);
  const need = (layer: string, field: string, values: readonly number[], bits: number, what: string): void => {
    let lo = 0;
    let hi = 0;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!fits(lo, bits) || !fits(hi, bits)) {
      throw new AccelCompileError(layer, field, `values ${lo}..${hi} need ${signedBitsFor(BigInt(lo), BigInt(hi))} signed bits, the accelerator's ${what} has ${bits}`);
    }
  };
  const checkTensor = (layer: string, field: string, t: { bits: number; signed: boolean }): void => {
    const b = t.bits + (t.signed ? 0 : 1);
    if (b > config.actBits) throw new AccelCompileError(layer, field, `a ${t.signed ? 'signed' : 'unsigned'} ${t.bits}-bit tensor needs actBits >= ${b}, the accelerator has ${config.actBits}`);
  };
  const dimMax = 2 ** config.dimBits - 1;
  const checkDim = (layer: string, field: string, v: number): void => {
    if (v > dimMax) throw new AccelCompileError(layer, field, `${v} needs dimBits >= ${bitLength(BigInt(v))}, the accelerator has ${config.dimBits}`);
  };
  const shiftMax = 2 ** config.shiftBits - 1;
  const checkShift = (layer: string, field: string, v: number): void => {
    if (v > shiftMax) throw new AccelCompileError(layer, field, `shift ${v} needs shiftBits >= ${bitLength(BigInt(v))}, the accelerator has ${config.shiftBits}`);
  };
  checkTensor('input', 'input.tensor', net.input.tensor);

  const pendings: Pending[] = net.layers.map((layer, idx) => {
    const s = shapes[idx]!;
    const inG = ceilDiv(s.input.channels, L);
    const outC = s.output.channels;
    const outG = ceilDiv(outC, L);
    checkTensor(layer.name, 'output', layer.output);
    const maxIn = (() => {
      const r = rangeOf(tensorShape(s.inputTensor));
      return -r.lo > r.hi ? -r.lo : r.hi;
    })();
    if (layer.op === 'conv2d' || layer.op === 'depthwiseConv2d' || layer.op === 'dense') {
      const r = layer.requant;
      if (r.kind !== 'stages') throw new AccelCompileError(layer.name, 'requant.kind', `"${r.kind}" requantization is not supported: the accelerator runs the integer "stages" pipeline`);
      if (hasFloatStage(r)) throw new AccelCompileError(layer.name, 'requant', 'an fp32 stage is not supported: the accelerator runs integer stages only (compile with integer QuantNorm and Double Quantization)');
      need(layer.name, 'weights', layer.weights, config.weightBits, 'weightBits');
      const params = channelParams(r, outC);
      let maxW = 0;
      for (const w of layer.weights) maxW = Math.max(maxW, Math.abs(w));
      const kh = layer.op === 'dense' ? s.input.height : layer.kernel;
      const kw = layer.op === 'dense' ? s.input.width : layer.kernel;
      const depth = layer.op === 'depthwiseConv2d' ? kh * kw : kh * kw * s.input.channels;
      const accBound = BigInt(depth) * BigInt(maxW) * maxIn;
      const words: Int32Array[] = [];
      const word = (): Int32Array => {
        const w = new Int32Array(L * L);
        words.push(w);
        return w;
      };
      if (layer.op === 'depthwiseConv2d') {
        const C = outC;
        for (let og = 0; og < outG; og++) {
          for (let t = 0; t < kh * kw; t++) {
            const w = word();
            for (let r2 = 0; r2 < L; r2++) {
              const ch = og * L + r2;
              if (ch < C) w[r2 * L + r2] = layer.weights[t * C + ch]!;
            }
          }
        }
        return { kind: 'window', layer, s, weightWords: words, wOgStride: kh * kw, wTapStride: 1, params, kh, kw, stride: layer.stride, pad: layer.padding, shift: r.shift, rounding: r.rounding, preluShift: preluShiftOf(r), accBound };
      }
      const inC = s.input.channels;
      for (let og = 0; og < outG; og++) {
        for (let t = 0; t < kh * kw; t++) {
          for (let ig = 0; ig < inG; ig++) {
            const w = word();
            for (let r2 = 0; r2 < L; r2++) {
              const oc = og * L + r2;
              if (oc >= outC) continue;
              for (let c = 0; c < L; c++) {
                const ic = ig * L + c;
                if (ic < inC) w[r2 * L + c] = layer.weights[(oc * kh * kw + t) * inC + ic]!;
              }
            }
          }
        }
      }
      const stride = layer.op === 'dense' ? 1 : layer.stride;
      const pad = layer.op === 'dense' ? 0 : layer.padding;
      return { kind: 'conv', layer, s, weightWords: words, wOgStride: kh * kw * inG, wTapStride: inG, params, kh, kw, stride, pad, shift: r.shift, rounding: r.rounding, preluShift: preluShiftOf(r), accBound };
    }
    if (layer.op === 'avgPool') {
      // The divisor is one constant per layer in the requant pipeline; a padded window's count varies at the edges.
      if ((layer.padding ?? 0) > 0) throw new AccelCompileError(layer.name, 'padding', `padded average pooling (padding ${layer.padding}) is not supported: the accelerator divides every window by one constant`);
      const kh = layer.kernel === 'global' ? s.input.height : layer.kernel;
      const kw = layer.kernel === 'global' ? s.input.width : layer.kernel;
      const count = kh * kw;
      const identity = new Int32Array(L * L);
      for (let r2 = 0; r2 < L; r2++) identity[r2 * L + r2] = 1;
      const division = poolDivision(tensorShape(s.inputTensor), count, layer.rounding);
      let scaleMul = 1;
      let scaleOff = 0;
      let shift: number;
      let rounding: RoundingMode = layer.rounding;
      if (division.kind === 'shift') shift = division.shift;
      else {
        const plan = division.plan;
        const sums = poolSumRange(tensorShape(s.inputTensor), count);
        if (plan.flag !== 'none') throw new AccelCompileError(layer.name, 'rounding', `average pooling over ${count} values with "${layer.rounding}" needs a remainder flag the accelerator's requant pipeline does not have: use rdn, rnu or rna (or a power-of-two window)`);
        if (sums.lo < 0n && plan.offsetNegative !== plan.offsetNonNegative) throw new AccelCompileError(layer.name, 'rounding', `"rna" over a signed input and an even window (${count}) needs a sign-dependent offset the accelerator does not have`);
        scaleMul = Number(plan.multiplier);
        scaleOff = Number(plan.offsetNonNegative);
        shift = plan.shift;
        rounding = 'rdn';
      }
      const params = Array.from({ length: outC }, () => ({ ...IDENTITY, scaleMul, scaleOff }));
      need(layer.name, 'pool divisor multiplier', [scaleMul], config.scaleMulBits, 'scaleMulBits');
      need(layer.name, 'pool divisor offset', [scaleOff], config.scaleOffBits, 'scaleOffBits');
      return { kind: 'window', layer, s, weightWords: [identity], wOgStride: 0, wTapStride: 0, params, kh, kw, stride: layer.kernel === 'global' ? 1 : layer.stride, pad: 0, shift, rounding, preluShift: 0, accBound: BigInt(count) * maxIn };
    }
    if (layer.op === 'maxPool') {
      // The identity diagonal passes each lane's value; the running max replaces the sum; requant is the identity then the clamp.
      const identity = new Int32Array(L * L);
      for (let r2 = 0; r2 < L; r2++) identity[r2 * L + r2] = 1;
      const params = Array.from({ length: outC }, () => IDENTITY);
      return { kind: 'max', layer, s, weightWords: [identity], wOgStride: 0, wTapStride: 0, params, kh: layer.kernel, kw: layer.kernel, stride: layer.stride, pad: layer.padding, shift: 0, rounding: 'rdn', preluShift: 0, accBound: maxIn };
    }
    // add
    const a = layer.align;
    if (a.arithmetic !== 'integer') throw new AccelCompileError(layer.name, 'align', 'an fp32 alignment is not supported: the accelerator runs integer alignment only');
    if (layer.prelu !== undefined && layer.prelu.arithmetic !== 'integer') throw new AccelCompileError(layer.name, 'prelu', 'an fp32 PReLU is not supported');
    need(layer.name, 'align.multipliers', a.multipliers, config.weightBits, 'weightBits (alignment multipliers ride the weight operand)');
    const w0 = new Int32Array(L * L);
    const w1 = new Int32Array(L * L);
    for (let r2 = 0; r2 < L; r2++) {
      w0[r2 * L + r2] = a.multipliers[0];
      w1[r2 * L + r2] = a.multipliers[1];
    }
    const maxWith = (() => {
      const r = rangeOf(tensorShape(s.withTensor!));
      return -r.lo > r.hi ? -r.lo : r.hi;
    })();
    const accBound = BigInt(Math.abs(a.multipliers[0])) * maxIn + BigInt(Math.abs(a.multipliers[1])) * maxWith;
    const slopes = layer.prelu?.arithmetic === 'integer' ? layer.prelu : undefined;
    const params = Array.from({ length: outC }, (_, c) => ({ ...IDENTITY, prelu: slopes ? pick(slopes.slopes, c) : 1 }));
    return { kind: 'add', layer, s, weightWords: [w0, w1], wOgStride: 0, wTapStride: 1, params, kh: 1, kw: 2, stride: 1, pad: 0, shift: a.shift, rounding: a.rounding, preluShift: slopes ? slopes.shift : 0, accBound };
  });

  // Memory images and the activation allocation.
  const lastUse = new Map<string, number>();
  net.layers.forEach((l, i) => {
    lastUse.set(l.input, i);
    if (l.op === 'add') lastUse.set(l.with, i);
  });
  const alloc = new ActivationAllocator();
  const inG = ceilDiv(net.input.channels, L);
  alloc.allocate('input', net.input.height * net.input.width * inG);
  const weightWords: Int32Array[] = [];
  const paramWords: LaneParams[][] = [];
  const layers: LayerDesc[] = pendings.map((p, idx) => {
    const { layer, s } = p;
    const name = layer.name;
    const outG = ceilDiv(s.output.channels, L);
    const inGroups = ceilDiv(s.input.channels, L);
    const out = alloc.allocate(name, s.output.height * s.output.width * outG);
    const inA = alloc.get(layer.input)!;
    const inB = layer.op === 'add' ? alloc.get(layer.with)! : inA;
    if (out.base + out.words > 2 ** config.actAddrBits) {
      throw new AccelCompileError(name, 'activation RAM', `the output needs words ${out.base}..${out.base + out.words - 1} with the live tensors placed: actAddrBits >= ${bitLength(BigInt(out.base + out.words - 1))}, the accelerator has ${config.actAddrBits}`);
    }
    // Free what no later layer reads (after placing this layer's output, which must not overlap its inputs).
    for (const [t, last] of lastUse) if (last === idx) alloc.free(t);
    const wBase = weightWords.length;
    // One by one: a spread of a big layer's words (147k at 4 lanes for ResNet-18's 512x512 3x3) overflows the call stack.
    for (const w of p.weightWords) weightWords.push(w);
    const pBase = paramWords.length;
    for (let og = 0; og < outG; og++) paramWords.push(Array.from({ length: L }, (_, l) => p.params[og * L + l] ?? IDENTITY));
    const lp = p.params;
    need(name, 'norm multipliers', lp.map((q) => q.normMul), config.normMulBits, 'normMulBits');
    need(name, 'norm offsets', lp.map((q) => q.normOff), config.normOffBits, 'normOffBits');
    need(name, 'scale multipliers', lp.map((q) => q.scaleMul), config.scaleMulBits, 'scaleMulBits');
    need(name, 'scale offsets', lp.map((q) => q.scaleOff), config.scaleOffBits, 'scaleOffBits');
    need(name, 'prelu slopes', lp.map((q) => q.prelu), config.preluBits, 'preluBits');
    checkShift(name, 'shift', p.shift);
    checkShift(name, 'prelu shift', p.preluShift);
    if (p.accBound >= 2n ** BigInt(config.accBits - 1)) {
      throw new AccelCompileError(name, 'accumulator', `partial sums reach ${p.accBound} and need accBits >= ${bitLength(p.accBound) + 1}, the accelerator has ${config.accBits}`);
    }
    const igCount = p.kind === 'conv' ? inGroups : 1;
    const d: LayerDesc = {
      name, op: layer.op, kind: p.kind,
      inBase: inA.base, in2Base: inB.base, outBase: out.base,
      ih: s.input.height, iw: s.input.width, ig: inGroups,
      oh: s.output.height, ow: s.output.width, og: outG,
      kh: p.kh, kw: p.kw, stride: p.stride, pad: p.pad, igCount,
      wBase, wOgStride: p.wOgStride, wTapStride: p.wTapStride, pBase,
      inChannels: s.input.channels, outChannels: s.output.channels,
      shift: p.shift, rounding: p.rounding, preluShift: p.preluShift,
      min: layer.output.min, max: layer.output.max,
      macs: p.kind === 'conv' ? s.output.height * s.output.width * s.output.channels * p.kh * p.kw * s.input.channels : s.output.height * s.output.width * s.output.channels * p.kh * p.kw,
      outputElements: s.output.height * s.output.width * s.output.channels,
      taps: s.output.height * s.output.width * outG * p.kh * p.kw * igCount,
    };
    for (const [f, v] of [['ih', d.ih], ['iw', d.iw], ['ig', d.ig], ['oh', d.oh], ['ow', d.ow], ['og', d.og], ['kh', d.kh], ['kw', d.kw], ['stride', d.stride], ['pad', d.pad]] as const) checkDim(name, f, v);
    need(name, 'output.min/max', [d.min, d.max], config.actBits, 'actBits');
    return Object.freeze(d);
  });
  if (layers.length > 2 ** config.progAddrBits) throw new AccelCompileError(layers[layers.length - 1]!.name, 'layer program', `${layers.length} layers need progAddrBits >= ${bitLength(BigInt(layers.length - 1))}, the accelerator has ${config.progAddrBits}`);
  if (weightWords.length > 2 ** config.weightAddrBits) throw new AccelCompileError(net.layers[net.layers.length - 1]!.name, 'weight ROM', `${weightWords.length} words need weightAddrBits >= ${bitLength(BigInt(weightWords.length - 1))}, the accelerator has ${config.weightAddrBits}`);
  if (paramWords.length > 2 ** config.paramAddrBits) throw new AccelCompileError(net.layers[net.layers.length - 1]!.name, 'parameter ROM', `${paramWords.length} words need paramAddrBits >= ${bitLength(BigInt(paramWords.length - 1))}, the accelerator has ${config.paramAddrBits}`);
  const last = layers[layers.length - 1]!;
  const { lo, hi } = (() => {
    const r = rangeOf(tensorShape(net.input.tensor));
    return { lo: Number(r.lo), hi: Number(r.hi) };
  })();
  for (const [f, v] of [['input.height', net.input.height], ['input.width', net.input.width]] as const) checkDim('input', f, v);
  return Object.freeze({
    network: net.name,
    config,
    layers: Object.freeze(layers),
    weightWords: Object.freeze(weightWords),
    paramWords: Object.freeze(paramWords.map((w) => Object.freeze(w))),
    input: Object.freeze({ height: net.input.height, width: net.input.width, channels: net.input.channels, groups: inG, base: 0, min: lo, max: hi }),
    output: Object.freeze({ base: last.outBase, height: last.oh, width: last.ow, channels: last.outChannels, groups: last.og }),
    actWordsUsed: alloc.highWater,
    outputBeats: last.oh * last.ow * last.outChannels + 2 + 3 * layers.length,
  });
}

function preluShiftOf(r: StagesRequant): number {
  return r.prelu?.arithmetic === 'integer' ? r.prelu.shift : 0;
}

function channelParams(r: StagesRequant, C: number): LaneParams[] {
  const out: LaneParams[] = [];
  for (let c = 0; c < C; c++) {
    const norm = r.norm?.arithmetic === 'integer' ? r.norm : undefined;
    const scale = r.scale?.arithmetic === 'integer' ? r.scale : undefined;
    const prelu = r.prelu?.arithmetic === 'integer' ? r.prelu : undefined;
    out.push({
      normMul: norm ? pick(norm.multipliers, c) : 1,
      normOff: norm ? pick(norm.offsets, c) : 0,
      scaleMul: scale ? pick(scale.multipliers, c) : 1,
      scaleOff: scale?.offsets ? pick(scale.offsets, c) : 0,
      prelu: prelu ? pick(prelu.slopes, c) : 1,
    });
  }
  return out;
}
