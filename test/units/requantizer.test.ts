// Requantizer (double-quantized and TFLite variants): random configurations
// and corner-heavy data co-simulated in Verilator (always ready and under
// random backpressure) and Icarus against src/ref, bit-exact; ACEv2 from the
// inventory x simulated handshakes equals src/cost's analytic tally.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES } from '../../src/arith/index.ts';
import {
  type DoubleQuantConfig,
  type TfliteConfig,
  deriveRequantizer,
  generateRequantizer,
  requantizerGenerator,
  requantizerInventory,
  requantizerSchema,
} from '../../hdl-gen/units/requantizer/index.ts';
import { requantizerBench } from '../../sim/units/index.ts';
import { analyticDoubleQuant, analyticTfliteAsBuilt } from './analyticOfUnit.ts';
import { configCount, propertySeed, runUnit, simulatedTally, summary, transactionCount } from './elementwiseStimulus.ts';

const INT32_MIN = -(2n ** 31n);

const dqArb = fc
  .record({
    lanes: fc.integer({ min: 1, max: 4 }),
    accBits: fc.integer({ min: 2, max: 40 }),
    scaleBits: fc.integer({ min: 2, max: 16 }),
    bias: fc.boolean(),
    perTensor: fc.boolean(),
    tensorScaleFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    shiftFrac: fc.double({ min: 0, max: 1.1, noNaN: true }),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    outBits: fc.integer({ min: 2, max: 8 }),
    outSigned: fc.boolean(),
  })
  .map((r): DoubleQuantConfig => {
    const productBits = r.accBits + (r.bias ? 1 : 0) + r.scaleBits;
    const raw = {
      variant: 'doubleQuant' as const,
      name: 'rq_dq',
      lanes: r.lanes,
      accBits: r.accBits,
      scaleBits: r.scaleBits,
      bias: r.bias,
      ...(r.perTensor ? { tensorScale: Math.floor(r.tensorScaleFrac * (2 ** r.scaleBits - 1)) } : {}),
      // Shifts up to a little past the product width (everything rounds away).
      shift: Math.min(64, Math.floor(r.shiftFrac * productBits)),
      rounding: r.rounding,
      outBits: r.outBits,
      outSigned: r.outSigned,
    };
    return requantizerSchema.parse(raw) as DoubleQuantConfig;
  });

const tfliteArb = fc
  .record({
    lanes: fc.integer({ min: 1, max: 4 }),
    accBits: fc.integer({ min: 2, max: 32 }),
    outBits: fc.integer({ min: 2, max: 8 }),
    outSigned: fc.boolean(),
    zpFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    zeroZp: fc.boolean(),
  })
  .map((r): TfliteConfig => {
    const lo = r.outSigned ? -(2 ** (r.outBits - 1)) : 0;
    const hi = r.outSigned ? 2 ** (r.outBits - 1) - 1 : 2 ** r.outBits - 1;
    const zp = r.zeroZp ? 0 : lo + Math.floor(r.zpFrac * (hi - lo));
    const raw = { variant: 'tflite' as const, name: 'rq_tflite', lanes: r.lanes, accBits: r.accBits, outBits: r.outBits, outSigned: r.outSigned, outputZeroPoint: zp };
    return requantizerSchema.parse(raw) as TfliteConfig;
  });

/**
 * The analytic tally of what a double-quantized requantizer did for `elements`
 * elements: src/cost's rescale stage (Double Quantization's multiply by Q,
 * rounding shift, clamp; with the bias add when the unit has one) on the
 * unit's input shape and with its shift.
 */
function dqAnalytic(c: DoubleQuantConfig, elements: number) {
  return analyticDoubleQuant(c, elements);
}

describe('requantizer, double-quantized: bit-exact co-simulation against src/ref', () => {
  it('random configurations x corner-heavy data, always ready and under backpressure, Icarus subset, ACEv2', async () => {
    const seed = propertySeed(5101);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(dqArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveRequantizer(c);
        // (acc + bias) then src/ref's double-quantized stage; per-tensor Q from the config.
        const tx = requantizerBench.stimulus(c, transactionCount(3000), dataSeed);
        const inputs = requantizerBench.inputs(c, tx);
        const expected = requantizerBench.expected(c, tx);
        const describe = `requantizer ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
        const run = await runUnit(generateRequantizer(c), inputs, expected, describe, dataSeed);
        expect(run.check.inHandshakes).toBe(tx.length);
        expect(run.check.outHandshakes).toBe(tx.length);
        // Full rate: always ready, N transactions take N cycles plus the promised latency.
        expect(run.check.cycles).toBe(tx.length + d.latency);
        expect(simulatedTally(requantizerInventory(c), run.check), describe).toEqual(dqAnalytic(c, c.lanes * run.check.outHandshakes));
        configs++;
        transactions += tx.length;
        compared += run.check.compared;
      }),
      { seed, numRuns: configCount(6, 24) },
    );
    console.log(summary('requantizer doubleQuant', configs, transactions, compared));
    expect(configs).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(0);
  });
});

describe('requantizer, TFLite fixed point: bit-exact co-simulation against src/ref/tflite.ts', () => {
  it('random configurations x corner-heavy data (SRDHM overflow, exponents 0..31), backpressure, Icarus subset, ACEv2', async () => {
    const seed = propertySeed(5102);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(tfliteArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveRequantizer(c);
        // acc + bias kept inside int32, and SaturatingRoundingDoublingHighMul's one overflow
        // (both operands INT32_MIN) every 97th transaction: see sim/units/requantizer.ts.
        const tx = requantizerBench.stimulus(c, transactionCount(3000), dataSeed);
        const inputs = requantizerBench.inputs(c, tx);
        const expected = requantizerBench.expected(c, tx);
        const overflowCases = tx.filter((lanes) => lanes.some((l) => l['acc']! + l['bias']! === INT32_MIN && l['multiplier'] === INT32_MIN)).length;
        expect(overflowCases).toBeGreaterThan(0);
        const describe = `requantizer ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
        const run = await runUnit(generateRequantizer(c), inputs, expected, describe, dataSeed);
        expect(run.check.outHandshakes).toBe(tx.length);
        expect(run.check.cycles).toBe(tx.length + d.latency);
        // The zero point's add is counted when the output is asymmetric (zero point not 0) on both sides.
        const analytic = analyticTfliteAsBuilt(c, c.lanes * run.check.outHandshakes);
        expect(simulatedTally(requantizerInventory(c), run.check), describe).toEqual(analytic);
        configs++;
        transactions += tx.length;
        compared += run.check.compared;
      }),
      { seed, numRuns: configCount(4, 16) },
    );
    console.log(summary('requantizer tflite', configs, transactions, compared));
    expect(configs).toBeGreaterThan(0);
  });
});

describe('requantizer config errors name the field, the value and the rule', () => {
  it('refuses a per-tensor scale wider than scaleBits and a zero point outside the output range', () => {
    expect(() => requantizerGenerator.parse({ variant: 'doubleQuant', scaleBits: 4, tensorScale: 16 })).toThrow(
      'unit requantizer: config field tensorScale = 16 is invalid: must fit the unsigned 4-bit scale (0 to 15)',
    );
    expect(() => requantizerGenerator.parse({ variant: 'tflite', outBits: 4, outSigned: true, outputZeroPoint: 8 })).toThrow(
      'unit requantizer: config field outputZeroPoint = 8 is invalid: must lie in the output range -8..7',
    );
    expect(() => requantizerGenerator.parse({ variant: 'float' })).toThrow('unit requantizer: config field variant = "float" is invalid');
  });
});
