// Requantizer stimulus and reference. doubleQuant: corner-heavy lanes, the
// expectation (acc + bias) then src/ref's doubleQuantRequantizeBig (per-tensor
// Q from the config). tflite: the same lanes with acc + bias kept inside int32
// (the reference refuses a sum C would overflow) and, every 97th transaction,
// SaturatingRoundingDoublingHighMul's one overflow (both operands INT32_MIN);
// the expectation src/ref's tfliteRequantize, or with a zero point TFLite's
// MultiplyByQuantizedMultiplier + zero point then the clamp.
import { doubleQuantRequantizeBig, multiplyByQuantizedMultiplier, saturateNumber, tfliteRequantize } from '../../src/ref/index.ts';
import type { LaneValues } from '../../hdl-gen/units/elementwise/laneLayout.ts';
import {
  type DoubleQuantConfig,
  type RequantizerConfig,
  type TfliteConfig,
  deriveRequantizer,
  generateRequantizer,
  packRequantizerInput,
  packRequantizerOutput,
  requantizerGenerator,
  requantizerInventory,
} from '../../hdl-gen/units/requantizer/index.ts';
import { laneStimulus } from './laneStimulus.ts';
import { laneCornerCount, roundingTies, withRoundingTies } from './roundingTies.ts';
import { Rng } from './rng.ts';
import { defineUnitBench, oneToOnePrefix } from './unitBench.ts';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Every 97th transaction (from the 12th) carries the SRDHM overflow case. */
export const isTfliteOverflowTransaction = (t: number): boolean => t % 97 === 11;

function tfliteLanes(lanes: readonly LaneValues[], t: number): LaneValues[] {
  return lanes.map((l) => {
    const acc = l['acc']!;
    let bias = l['bias']!;
    if (isTfliteOverflowTransaction(t)) bias = INT32_MIN - acc < INT32_MIN ? INT32_MIN : INT32_MIN - acc; // sum at INT32_MIN when it can be
    const lo = INT32_MIN - acc > INT32_MIN ? INT32_MIN - acc : INT32_MIN;
    const hi = INT32_MAX - acc < INT32_MAX ? INT32_MAX - acc : INT32_MAX;
    bias = bias < lo ? lo : bias > hi ? hi : bias;
    const multiplier = isTfliteOverflowTransaction(t) ? INT32_MIN : l['multiplier']!;
    return { acc, bias, multiplier, exponent: l['exponent']! };
  });
}

function doubleQuantRef(c: DoubleQuantConfig, l: LaneValues): bigint {
  const out = { width: c.outBits, signed: c.outSigned };
  return doubleQuantRequantizeBig(l['acc']! + (l['bias'] ?? 0n), l['scale'] ?? BigInt(c.tensorScale!), c.shift, c.rounding, out);
}

function tfliteRef(c: TfliteConfig, l: LaneValues): bigint {
  const out = { width: c.outBits, signed: c.outSigned };
  const a = Number(l['acc']! + l['bias']!);
  const m = Number(l['multiplier']!);
  const shift = -Number(l['exponent']!);
  // Zero point 0 is src/ref's tfliteRequantize; otherwise TFLite adds it before the clamp.
  const zp = c.outputZeroPoint;
  return BigInt(zp === 0 ? tfliteRequantize(a, m, shift, out) : saturateNumber(multiplyByQuantizedMultiplier(a, m, shift) + zp, out));
}

export const requantizerBench = defineUnitBench<RequantizerConfig, LaneValues[]>({
  generator: requantizerGenerator,
  counts: 'lane transactions',
  defaultCount: 3000,
  module: generateRequantizer,
  stimulus(c, count, seed) {
    const fields = deriveRequantizer(c).input.fields;
    const tx = laneStimulus(new Rng(seed), fields, c.lanes, count);
    if (c.variant === 'tflite') return tx.map(tfliteLanes);
    // Exact rounding ties of (acc + bias) * Q: Q = 1 when it is per channel.
    if (c.tensorScale !== undefined && c.tensorScale !== 1) return tx;
    const lane = (tie: bigint): LaneValues => ({ acc: tie, ...(c.bias ? { bias: 0n } : {}), ...(c.tensorScale === undefined ? { scale: 1n } : {}) });
    return withRoundingTies(tx, laneCornerCount(fields), fields, roundingTies(c.shift), lane);
  },
  inputs: (c, tx) => tx.map((lanes) => packRequantizerInput(c, lanes)),
  expected: (c, tx) =>
    tx.map((lanes) => packRequantizerOutput(c, lanes.map((l) => (c.variant === 'tflite' ? tfliteRef(c, l) : doubleQuantRef(c, l))))),
  icarusPrefix: (_c, tx, outputs) => oneToOnePrefix(tx.length, outputs),
  inventory: requantizerInventory,
  tallyOn: 'out',
});
