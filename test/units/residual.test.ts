// Residual adder: random configurations and corner-heavy data co-simulated in
// Verilator (always ready and under backpressure) and Icarus against src/ref
// residualAdd, bit-exact; ACEv2 from the inventory x simulated handshakes
// equals src/cost's analytic residual tally (the unit's shift given) on
// every configuration.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES } from '../../src/arith/index.ts';
import { analyticResidual } from './analyticOfUnit.ts';
import {
  type ResidualConfig,
  deriveResidual,
  generateResidual,
  residualGenerator,
  residualInventory,
  residualSchema,
} from '../../hdl-gen/units/residual/index.ts';
import { residualBench } from '../../sim/units/index.ts';
import { configCount, propertySeed, runUnit, simulatedTally, summary, transactionCount } from './elementwiseStimulus.ts';

const configArb = fc
  .record({
    lanes: fc.integer({ min: 1, max: 4 }),
    aBits: fc.integer({ min: 2, max: 16 }),
    aSigned: fc.boolean(),
    bBits: fc.integer({ min: 2, max: 16 }),
    bSigned: fc.boolean(),
    scaleBits: fc.integer({ min: 2, max: 16 }),
    perTensor: fc.boolean(),
    fa: fc.double({ min: 0, max: 1, noNaN: true }),
    fb: fc.double({ min: 0, max: 1, noNaN: true }),
    // Half the time S = scaleBits (the network tallies' default).
    conventionShift: fc.boolean(),
    shiftFrac: fc.double({ min: 0, max: 1.1, noNaN: true }),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    outBits: fc.integer({ min: 2, max: 8 }),
    outSigned: fc.boolean(),
  })
  .map((r): ResidualConfig => {
    const max = 2 ** r.scaleBits - 1;
    const sumBits = Math.max(r.aBits, r.bBits) + r.scaleBits + 2;
    return residualSchema.parse({
      name: 'res',
      lanes: r.lanes,
      aBits: r.aBits,
      aSigned: r.aSigned,
      bBits: r.bBits,
      bSigned: r.bSigned,
      scaleBits: r.scaleBits,
      ...(r.perTensor ? { tensorScales: { a: Math.floor(r.fa * max), b: Math.floor(r.fb * max) } } : {}),
      shift: r.conventionShift ? r.scaleBits : Math.min(48, Math.floor(r.shiftFrac * sumBits)),
      rounding: r.rounding,
      outBits: r.outBits,
      outSigned: r.outSigned,
    });
  });

describe('residual adder: bit-exact co-simulation against src/ref residualAdd', () => {
  it('random configurations x corner-heavy data, backpressure, Icarus subset, ACEv2', async () => {
    const seed = propertySeed(5501);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    let aceChecked = 0;
    await fc.assert(
      fc.asyncProperty(configArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveResidual(c);
        const tx = residualBench.stimulus(c, transactionCount(3000), dataSeed);
        const inputs = residualBench.inputs(c, tx);
        const expected = residualBench.expected(c, tx);
        const describe = `residual_add ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
        const run = await runUnit(generateResidual(c), inputs, expected, describe, dataSeed);
        expect(run.check.outHandshakes).toBe(tx.length);
        expect(run.check.cycles).toBe(tx.length + d.latency);
        const analytic = analyticResidual(c, c.lanes * run.check.outHandshakes);
        expect(simulatedTally(residualInventory(c), run.check), describe).toEqual(analytic);
        aceChecked++;
        configs++;
        transactions += tx.length;
        compared += run.check.compared;
      }),
      { seed, numRuns: configCount(6, 24) },
    );
    console.log(summary('residual_add', configs, transactions, compared, `ACEv2-checked configs=${aceChecked}`));
    expect(aceChecked).toBe(configs);
  });

  it('config errors name the field, the value and the rule', () => {
    expect(() => residualGenerator.parse({ scaleBits: 4, tensorScales: { a: 3, b: 16 } })).toThrow(
      'unit residual_add: config field tensorScales.b = 16 is invalid: must fit the unsigned 4-bit scale (0 to 15)',
    );
  });
});
