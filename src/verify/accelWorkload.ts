/**
 * The accelerator's property workload as a list of frames for one process of
 * the loadable accelerator: for each network, the load frame (its weights,
 * parameters and descriptors through the input stream), then inference
 * frames whose every output beat (tensor, class, cycles, per-layer cycles,
 * MACs, output elements) is predicted by the layer program, which the
 * accelerator tests check against runInt. Networks: the shipped mnist_tiny
 * (pikelpn) on held-out digits, and random networks drawn by the
 * accelerator's own property generator (randomNetwork.ts) with a
 * fixed seed, deep networks up to the program memory's size, networks at
 * the extremes (corner values, a wide output), and programs with fields
 * rewritten to the ends of their ranges (accelExtremes.ts). The first inference of every
 * other network runs under random backpressure.
 */
import fc from 'fast-check';
import { type AccelConfig, AccelCompileError, type AccelProgram, compileAccel, parseAccelConfig, runProgram } from '../accel/index.ts';
import { ROUNDING_MODES, type RoundingMode, boundsNumber, signed } from '../arith/index.ts';
import { compile, RECIPES } from '../quant/index.ts';
import { type IntNetwork, validateIntNetwork, weightRange } from '../model/index.ts';
import { quantizeInput, runInt } from '../ref/index.ts';
import { imageOf } from '../train/dataset.ts';
import { heldOut, loadTrained } from '../train/evaluate.ts';
import { acceleratorFrame, loadFrame } from '../../sim/accel/acceleratorSim.ts';
import { beatsToValues, expectedBeats } from '../../sim/accel/expectedBeats.ts';
import { type SimFrame, packValues } from '../../sim/index.ts';
import { extremePrograms } from './accelExtremes.ts';
import { buildNetwork, maxPoolNetSpecArb, netSpecArb, randomInput } from './randomNetwork.ts';
import type { PropertyFrames } from './runMutant.ts';
import { VerifyError } from './verifyError.ts';

/**
 * The hardware the accelerator's random-network property runs on
 * (test/accel/acceleratorNetworks.test.ts), with the address and dimension
 * fields widened so that mnist_tiny's 28x28 input fits the same build: one
 * design, so one set of mutant ids for every network.
 */
export const ACCEL_MUTATION_CONFIG: AccelConfig = parseAccelConfig({
  lanes: 4, actBits: 9, weightBits: 8, accBits: 24, normMulBits: 10, normOffBits: 32, scaleMulBits: 17, scaleOffBits: 32, preluBits: 8,
  shiftBits: 6, dimBits: 5, actAddrBits: 11, weightAddrBits: 9, paramAddrBits: 6, progAddrBits: 4, loadable: true,
});

export interface AccelWorkloadOptions {
  /** Random networks drawn (the ones the compiler refuses are skipped). */
  readonly randomNetworks: number;
  /** Random max-pool networks drawn. */
  readonly maxPoolNetworks: number;
  /** Random networks of up to 2^progAddrBits layers. */
  readonly deepNetworks: number;
  /** The extreme-value networks (cornerNetworks) and programs (accelExtremes.ts). */
  readonly corners: boolean;
  /** Held-out mnist digits. */
  readonly digits: number;
  /** fast-check seed of the network draw (the accelerator property's default is 11). */
  readonly seed: number;
}

export const DEFAULT_ACCEL_WORKLOAD: AccelWorkloadOptions = { randomNetworks: 800, maxPoolNetworks: 200, deepNetworks: 100, corners: true, digits: 2, seed: 11 };

interface NetCase {
  readonly name: string;
  /** The network compiled, to check the layer program against runInt; absent for a program with fields rewritten past the compiler's range (accelExtremes.ts). */
  readonly net?: IntNetwork;
  readonly program: AccelProgram;
  readonly inputs: readonly Int32Array[];
}

function cases(config: AccelConfig, o: AccelWorkloadOptions): NetCase[] {
  const out: NetCase[] = [];
  if (o.digits > 0) {
    const net = compile(loadTrained(), RECIPES.pikelpn).net;
    const data = heldOut(o.digits);
    const inputs = Array.from({ length: data.count }, (_, n) => quantizeInput(net.input.tensor, imageOf(data, n)));
    out.push({ name: 'mnist_tiny', net, program: compileAccel(net, config), inputs });
  }
  const draw = (arb: fc.Arbitrary<Parameters<typeof buildNetwork>[0]>, n: number, what: string): void => {
    if (n === 0) return;
    let kept = 0;
    fc.sample(arb, { seed: o.seed, numRuns: n }).forEach((spec, i) => {
      const net = buildNetwork(spec);
      try {
        out.push({ name: `${what} ${i}`, net, program: compileAccel(net, config), inputs: [randomInput(net, spec.seed), randomInput(net, spec.seed + 1)] });
        kept++;
      } catch (e) {
        if (!(e instanceof AccelCompileError)) throw e;
      }
    });
    // A workload whose draws the compiler mostly refuses is weaker than the one asked for: fail
    // rather than report a mutation score or coverage from it.
    if (kept * 2 < n) throw new VerifyError(`accelerator workload: the compiler refused ${n - kept} of ${n} ${what}s (the configuration is too small for the generator): the workload would be weaker than asked`);
  };
  draw(netSpecArb, o.randomNetworks, 'random network');
  draw(maxPoolNetSpecArb, o.maxPoolNetworks, 'max-pool network');
  // The property's networks have at most 5 layers: the program memory's upper
  // descriptors and the per-layer counters beyond them were never used (mutation
  // testing found a layer index compared with 11 that could be 12). Deep
  // networks: six random networks' layers in a row, up to the program memory's size
  // (about one in eight fills it: coverage found the last layer's counters never written with four).
  const deep = fc
    .array(netSpecArb, { minLength: 6, maxLength: 6 })
    .map((specs) => ({ ...specs[0]!, layers: specs.flatMap((s) => s.layers).slice(0, 2 ** config.progAddrBits) }));
  draw(deep, o.deepNetworks, 'deep network');
  if (o.corners) out.push(...cornerNetworks(config), ...extremePrograms(config));
  return out;
}

/**
 * Networks at the extremes, as the units' corner stimulus: a 3x3 convolution
 * over 16 channels of 9-bit signed activations (the accelerator's widest),
 * every weight at one end of the 8-bit range and every input at one end of
 * the activation range, so each product is extreme and 144 of them sum past
 * 2^22 (the accumulator's top bits). Random networks draw half-range values
 * and never come near (mutation testing: the accumulator could lose its top
 * bit unnoticed).
 */
function cornerNetworks(config: AccelConfig): NetCase[] {
  const out: NetCase[] = [];
  const bits = config.actBits;
  const spec = { h: 4, w: 4, c: 16, bits, signed: true, seed: 7, layers: [{ op: 'conv' as const, k: 3, s: 1, p: 1, c: 4, wb: config.weightBits, act: 'none' as const, bits: 8, signed: true, r: 'rne' as const, norm: false, prelu: false }] };
  const base = buildNetwork(spec);
  const w = weightRange(config.weightBits);
  const { lo, hi } = boundsNumber(signed(bits));
  for (const [wv, xv, what] of [[w.lo, lo, 'min x min'], [w.hi, lo, 'max x min'], [w.lo, hi, 'min x max']] as const) {
    const layers = base.layers.map((l) => ('weights' in l ? { ...l, weights: l.weights.map(() => Number(wv)) } : l));
    const net = validateIntNetwork({ ...base, layers }, `corner network ${what}`);
    const n = net.input.height * net.input.width * net.input.channels;
    out.push({ name: `corner network ${what}`, net, program: compileAccel(net, config), inputs: [new Int32Array(n).fill(xv), Int32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? xv : 0))] });
  }
  // An output of 1280 words (16x16x20 at 4 lanes): the output word counter's
  // upper bit, which the small random networks never reach (mutation testing:
  // it could lose its top bit unnoticed).
  const wide = buildNetwork({ h: 16, w: 16, c: 4, bits: 4, signed: false, seed: 8, layers: [{ op: 'conv', k: 1, s: 1, p: 0, c: 20, wb: 4, act: 'relu', bits: 4, signed: false, r: 'rnu', norm: false, prelu: false }] });
  out.push({ name: 'wide-output network', net: wide, program: compileAccel(wide, config), inputs: [randomInput(wide, 1)] });
  out.push(...bigDeepNetworks(config));
  // Loop counters past their low bits: 64 channels (16 channel groups in and out, 256 weight words)
  // and a 9x9 kernel (coverage: the counters' upper bits and compare temporaries never toggled).
  const conv1 = (c: number, k = 1) => ({ op: 'conv' as const, k, s: 1, p: 0, c, wb: config.weightBits, act: 'relu' as const, bits: 4, signed: false, r: 'rne' as const, norm: false, prelu: false });
  const wideChannels = buildNetwork({
    h: 3, w: 3, c: 64, bits: 4, signed: false, seed: 21,
    layers: [conv1(64), { op: 'dw', k: 3, s: 1, p: 1, wb: config.weightBits, act: 'relu', bits: 4, signed: false, r: 'rnu', norm: false, prelu: false }, conv1(4)],
  });
  const bigKernel = buildNetwork({ h: 9, w: 9, c: 4, bits: 4, signed: false, seed: 22, layers: [conv1(4, 9)] });
  for (const [name, net] of [['wide-channel network', wideChannels], ['large-kernel network', bigKernel]] as const) {
    out.push({ name, net, program: compileAccel(net, config), inputs: [randomInput(net, 1), randomInput(net, 2)] });
  }
  return out;
}

/**
 * Networks of sixteen big layers (the program memory full), so that the
 * per-layer counters reach bits 13 (cycles), 17 (MACs) and 12 (elements)
 * where the random networks' stop near 6-12. Toggle coverage
 * showed the per-layer counter registers to be most of the bits never
 * toggled; a register that holds a layer's final count toggles only the bits
 * set in the counts it is given, so the layers differ (kernel 1 or 3, 4 or 8
 * channels, seeded) and the two networks have different image sizes. Two
 * tensors of the largest fit the activation RAM; the weights stay within the
 * weight memory. One inference each, about 150,000-250,000 cycles.
 */
function bigDeepNetworks(config: AccelConfig): NetCase[] {
  const depth = 2 ** config.progAddrBits;
  const weightWords = 2 ** config.weightAddrBits;
  const g = (x: number): number => Math.ceil(x / config.lanes);
  const conv = (k: number, p: number, c: number, r: RoundingMode) => ({ op: 'conv' as const, k, s: 1, p, c, wb: config.weightBits, act: 'relu' as const, bits: 4, signed: false, r, norm: false, prelu: false });
  let state = 13;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  const mode = (): RoundingMode => ROUNDING_MODES[next(ROUNDING_MODES.length)]!;
  // 20x20, 3x3 with padding, 4 or 8 channels per layer (seeded): 3,600, 7,200 or 14,400 cycles a layer.
  let inC = 8;
  let words = 0;
  const wide = Array.from({ length: depth }, () => {
    const c = [4, 8][next(2)]!;
    // Keep room for the remaining layers at 1x1 (at most 4 words each).
    const k = words + 9 * g(c) * g(inC) <= weightWords - 4 * depth ? 3 : 1;
    words += k * k * g(c) * g(inC);
    inC = c;
    return conv(k, (k - 1) / 2, c, mode());
  });
  // 31x31x4, 3x3 without padding: the image shrinks by 2 a layer (29x29 ... 3x3, then 1x1 kernels),
  // so every layer's counts differ (7,569 cycles down to 9).
  const shrinking = Array.from({ length: depth }, (_, i) => (31 - 2 * (i + 1) >= 1 ? conv(3, 0, 4, mode()) : conv(1, 0, 4, mode())));
  return [
    { side: 20, c: 8, layers: wide, seed: 13 },
    { side: 31, c: 4, layers: shrinking, seed: 17 },
  ].map(({ side, c, layers, seed }) => {
    const net = buildNetwork({ h: side, w: side, c, bits: 4, signed: false, seed, layers });
    return { name: `deep network of big layers (${side}x${side})`, net, program: compileAccel(net, config), inputs: [randomInput(net, seed)] };
  });
}

/** The frames of the workload, each with its expected output; the layer program is checked against runInt here. */
export function accelPropertyFrames(config: AccelConfig, o: AccelWorkloadOptions = DEFAULT_ACCEL_WORKLOAD): PropertyFrames & { networks: number; inferences: number } {
  const frames: SimFrame[] = [];
  const names: string[] = [];
  const expected: Uint8Array[] = [];
  let inferences = 0;
  const all = cases(config, o);
  if (all.length === 0) throw new VerifyError('accelerator workload: the compiler refused every network: nothing to run');
  for (const [ci, c] of all.entries()) {
    frames.push(loadFrame(c.program));
    names.push(`${c.name}: load`);
    expected.push(new Uint8Array(0));
    for (const [k, x] of c.inputs.entries()) {
      const beats = expectedBeats(c.program, runProgram(c.program, x));
      if (c.net !== undefined) {
        const ref = runInt(c.net, x).output;
        if (ref.length !== beats.output.length || ref.some((v, i) => v !== beats.output[i])) {
          throw new VerifyError(`accelerator workload: ${c.name} input ${k}: the layer program disagrees with runInt (a compiler bug, not a mutant)`);
        }
      }
      const values = beatsToValues(beats).map((v) => BigInt.asUintN(config.outBits, v));
      const f = acceleratorFrame(c.program, x);
      // The first inference of every other network under random backpressure: stalled beats must stay put.
      const pressured = k === 0 && ci % 2 === 1;
      frames.push(pressured ? { ...f, backpressure: { seed: 100 + ci, inValidPct: 60, outReadyPct: 40 } } : f);
      names.push(`${c.name}: input ${k}${pressured ? ' (backpressure)' : ''}`);
      expected.push(packValues(values, config.outBits));
      inferences++;
    }
  }
  // The launches from other initial states run the first network (mnist_tiny: its load and digits).
  const firstNetwork = 1 + (all[0]?.inputs.length ?? 0);
  return { frames, names, expected, counted: frames.map(() => true), shortLaunchFrames: firstNetwork, networks: all.length, inferences };
}
