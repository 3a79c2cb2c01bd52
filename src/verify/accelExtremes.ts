/**
 * Layer programs at the edges of what the accelerator's fields hold, which
 * no compiled network reaches: the compiler keeps weights symmetric
 * (-127..127 for 8 bits), writes zero weights for padding lanes, and derives
 * small shifts and moderate parameters from real scales. The hardware's
 * promise is the layer program's semantics (src/accel/interpret.ts
 * runProgram) for every value its fields can hold, so these programs are
 * compiled networks with fields rewritten, and their expected beats come
 * from runProgram alone (there is no network for runInt to check them
 * against; runProgram itself is checked against runInt on every compiled
 * network of the workload).
 *
 * Found by mutation testing and toggle coverage (docs/verification.md): the
 * products' and dot sums' top bits (only -128 x -256 needs them), a padding
 * lane written as 1 (only a non-zero weight on a padding lane reads it), and
 * the upper bits of the variable rounding shift's masks and of the wide
 * requantizer temporaries (only shifts above about 27 and parameters near
 * their ends set them).
 */
import { ROUNDING_MODES, type RoundingMode, boundsNumber, signed } from '../arith/index.ts';
import { type AccelConfig, type AccelProgram, type LaneParams, compileAccel } from '../accel/index.ts';
import { buildNetwork, randomInput } from './randomNetwork.ts';

export interface ProgramCase {
  readonly name: string;
  readonly program: AccelProgram;
  readonly inputs: readonly Int32Array[];
}

const signedEnds = (bits: number): { lo: number; hi: number } => boundsNumber(signed(bits));

/** Every weight of every layer set to `w`. */
function withWeights(p: AccelProgram, f: (w: number, lane: number) => number): AccelProgram {
  const L = p.config.lanes;
  return { ...p, weightWords: p.weightWords.map((word) => word.map((w, i) => f(w, i % L))) };
}

export function extremePrograms(config: AccelConfig): ProgramCase[] {
  const out: ProgramCase[] = [];
  const act = signedEnds(config.actBits);
  const wEnds = signedEnds(config.weightBits);
  // The corner networks' shape (accelWorkload.ts): 3x3 over 16 channels, so 144 products per output.
  const conv = (seed: number, act2: 'none' | 'relu' = 'none') =>
    buildNetwork({ h: 4, w: 4, c: 16, bits: config.actBits, signed: true, seed, layers: [{ op: 'conv', k: 3, s: 1, p: 1, c: 4, wb: config.weightBits, act: act2, bits: 8, signed: true, r: 'rne', norm: false, prelu: false }] });
  const base = conv(7);
  const program = compileAccel(base, config);
  const n = base.input.height * base.input.width * base.input.channels;

  // -128 x -256 = 32768: the one product that needs a 9x8-bit product's top bit; 144 of them sum to
  // 2^22 + 2^20 (inside 24 bits). The requantizer is the identity with a shift of 16 so that no output
  // saturates: one product off by 2^16 changes its output by 1 (with the compiled scale every output
  // clamped, and a lost product bit did not show).
  const minWeights = withWeights(program, () => wEnds.lo);
  const identity: LaneParams = { normMul: 1, normOff: 0, scaleMul: 1, scaleOff: 0, prelu: 1 };
  out.push({
    name: 'extreme program: weights at the 8-bit minimum',
    program: {
      ...minWeights,
      paramWords: minWeights.paramWords.map((w) => w.map(() => identity)),
      layers: minWeights.layers.map((d) => ({ ...d, shift: 16, rounding: 'rdn' as const, preluShift: 0, min: -128, max: 127 })),
    },
    inputs: [new Int32Array(n).fill(act.lo), Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? act.lo : act.hi))],
  });

  // Padding lanes: a 3-channel layer leaves lane 3 of each word as padding (written 0); the next
  // layer's weights read lane 3 with a non-zero weight, so a padding lane written wrong shows.
  const padded = buildNetwork({
    h: 3, w: 3, c: 4, bits: 6, signed: true, seed: 9,
    layers: [
      { op: 'conv', k: 1, s: 1, p: 0, c: 3, wb: config.weightBits, act: 'none', bits: 6, signed: true, r: 'rnu', norm: false, prelu: false },
      { op: 'conv', k: 1, s: 1, p: 0, c: 4, wb: config.weightBits, act: 'none', bits: 8, signed: true, r: 'rnu', norm: false, prelu: false },
    ],
  });
  const pp = compileAccel(padded, config);
  const secondLayerWords = new Set<number>();
  const d2 = pp.layers[1]!;
  for (let i = 0; i < d2.og * d2.wOgStride; i++) secondLayerWords.add(d2.wBase + i);
  const L = config.lanes;
  out.push({
    name: 'extreme program: weights on a padding lane',
    program: { ...pp, weightWords: pp.weightWords.map((word, k) => (secondLayerWords.has(k) ? word.map((w, i) => (i % L === L - 1 ? 77 - (i >> 2) * 9 : w)) : word)) },
    inputs: [randomInput(padded, 3), randomInput(padded, 4)],
  });

  // The requantizer at its ends: each lane a different parameter set (both ends of every field, and
  // the identity), shifts from 0 to the field's maximum (at and above the 53-bit value's width), every
  // rounding mode, PReLU shifts up to the maximum.
  const nm = signedEnds(config.normMulBits);
  const no = signedEnds(config.normOffBits);
  const sm = signedEnds(config.scaleMulBits);
  const so = signedEnds(config.scaleOffBits);
  const pr = signedEnds(config.preluBits);
  const lanesParams: LaneParams[] = [
    { normMul: nm.lo, normOff: no.lo, scaleMul: sm.lo, scaleOff: so.lo, prelu: pr.lo },
    { normMul: nm.hi, normOff: no.hi, scaleMul: sm.hi, scaleOff: so.hi, prelu: pr.hi },
    { normMul: 1, normOff: 0, scaleMul: 1, scaleOff: 0, prelu: -1 },
    { normMul: -3, normOff: 12_345, scaleMul: sm.hi, scaleOff: -7, prelu: 5 },
  ].slice(0, L);
  const maxShift = 2 ** config.shiftBits - 1;
  const shifts = [0, 13, 27, 40, 52, 53, maxShift];
  const modes: readonly RoundingMode[] = ROUNDING_MODES;
  const paramProgram = compileAccel(conv(12), config);
  const rnd = randomInput(conv(12), 5);
  shifts.forEach((shift, si) => {
    const rounding = modes[si % modes.length]!;
    const preluShift = [maxShift, 31, 7, 0][si % 4]!;
    const p: AccelProgram = {
      ...paramProgram,
      paramWords: paramProgram.paramWords.map(() => lanesParams),
      layers: paramProgram.layers.map((d) => ({ ...d, shift, rounding, preluShift, min: -128, max: 127 })),
    };
    out.push({ name: `extreme program: requantizer ends, shift ${shift}, ${rounding}, PReLU shift ${preluShift}`, program: p, inputs: [rnd, new Int32Array(n).fill(act.lo)] });
  });
  return out;
}
