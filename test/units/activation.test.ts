// Activation unit (ReLU, clipped ReLU, PReLU): random configurations and
// corner-heavy data co-simulated in Verilator (always ready and under
// backpressure) and Icarus against src/ref relu / clippedRelu / prelu +
// saturation, bit-exact; ACEv2 from the inventory x simulated handshakes
// equals src/cost's analytic activation tally on every configuration.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES } from '../../src/arith/index.ts';
import { analyticActivation as analyticOf } from './analyticOfUnit.ts';
import {
  type ActivationConfig,
  activationGenerator,
  activationInventory,
  activationSchema,
  deriveActivation,
  generateActivation,
} from '../../hdl-gen/units/activation/index.ts';
import { activationBench } from '../../sim/units/index.ts';
import { configCount, propertySeed, runUnit, simulatedTally, summary, transactionCount } from './elementwiseStimulus.ts';

const configArb = fc
  .record({
    kind: fc.constantFrom('relu', 'clippedRelu', 'prelu', 'prelu' as const),
    lanes: fc.integer({ min: 1, max: 4 }),
    inBits: fc.integer({ min: 3, max: 32 }),
    clipFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    slopeBits: fc.integer({ min: 2, max: 16 }),
    // Half the time a signed-fraction slope (Sp = slopeBits - 1, the network tallies' default).
    conventionShift: fc.boolean(),
    slopeShift: fc.integer({ min: 0, max: 31 }),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    outBits: fc.integer({ min: 2, max: 8 }),
    outSigned: fc.boolean(),
  })
  .map((r): ActivationConfig => {
    const outMax = r.outSigned ? 2 ** (r.outBits - 1) - 1 : 2 ** r.outBits - 1;
    return activationSchema.parse({
      name: 'act',
      kind: r.kind,
      lanes: r.lanes,
      inBits: r.inBits,
      ...(r.kind === 'clippedRelu' ? { clipHigh: Math.floor(r.clipFrac * outMax) } : {}),
      slopeBits: r.slopeBits,
      slopeShift: r.conventionShift ? r.slopeBits - 1 : r.slopeShift,
      rounding: r.rounding,
      outBits: r.outBits,
      outSigned: r.outSigned,
    });
  });

/** src/cost's analytic tally of the unit (test/units/analyticOfUnit.ts). */
function analyticActivation(c: ActivationConfig, elements: number) {
  return analyticOf(c, elements);
}

describe('activation: bit-exact co-simulation against src/ref', () => {
  it('random kinds and configurations x corner-heavy data, backpressure, Icarus subset, ACEv2', async () => {
    const seed = propertySeed(5401);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    let aceChecked = 0;
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(configArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveActivation(c);
        const tx = activationBench.stimulus(c, transactionCount(3000), dataSeed);
        const inputs = activationBench.inputs(c, tx);
        const expected = activationBench.expected(c, tx);
        const describe = `activation ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
        const run = await runUnit(generateActivation(c), inputs, expected, describe, dataSeed);
        expect(run.check.outHandshakes).toBe(tx.length);
        expect(run.check.cycles).toBe(tx.length + d.latency);
        expect(simulatedTally(activationInventory(c), run.check), describe).toEqual(analyticActivation(c, c.lanes * run.check.outHandshakes));
        aceChecked++;
        kinds.add(c.kind);
        configs++;
        transactions += tx.length;
        compared += run.check.compared;
      }),
      { seed, numRuns: configCount(6, 24) },
    );
    console.log(summary('activation', configs, transactions, compared, `kinds=${[...kinds].join(',')} ACEv2-checked configs=${aceChecked}`));
    expect(aceChecked).toBe(configs);
    expect(kinds.has('prelu')).toBe(true);
  });

  it('config errors name the field, the value and the rule', () => {
    expect(() => activationGenerator.parse({ kind: 'clippedRelu', outBits: 4, outSigned: false, clipHigh: 16 })).toThrow(
      'unit activation: config field clipHigh = 16 is invalid: must fit the output (at most 15)',
    );
    expect(() => activationGenerator.parse({ kind: 'clippedRelu' })).toThrow('unit activation: config field clipHigh = (missing) is invalid: is required for kind clippedRelu');
    expect(() => activationGenerator.parse({ kind: 'relu', clipHigh: 6 })).toThrow('unit activation: config field clipHigh = 6 is invalid: applies only to kind clippedRelu');
  });
});
