// QuantNorm: random configurations and corner-heavy data co-simulated in
// Verilator (always ready and under backpressure) and Icarus against src/ref's
// quantNorm, bit-exact; ACEv2 from the inventory x simulated handshakes equals
// the 'norm' part of src/cost's analytic requantizer-with-batch-norm tally.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signed } from '../../src/arith/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { DEFAULT_COST_TABLE, tallyLayer, workloadCounts } from '../../src/cost/index.ts';
import {
  deriveQuantNorm,
  generateQuantNorm,
  quantNormGenerator,
  quantNormInventory,
  quantNormSchema,
} from '../../hdl-gen/units/quantNorm/index.ts';
import { quantNormBench } from '../../sim/units/index.ts';
import { configCount, propertySeed, runUnit, simulatedTally, summary, transactionCount } from './elementwiseStimulus.ts';

const configArb = fc
  .record({
    lanes: fc.integer({ min: 1, max: 4 }),
    accBits: fc.integer({ min: 2, max: 32 }),
    multiplierBits: fc.integer({ min: 2, max: 16 }),
    multiplierSigned: fc.boolean(),
  })
  .map((r) => quantNormSchema.parse({ name: 'qn', ...r }));

describe('QuantNorm: bit-exact co-simulation against src/ref quantNorm', () => {
  it('random configurations x corner-heavy data, always ready and under backpressure, Icarus subset, ACEv2', async () => {
    const seed = propertySeed(5201);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(configArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveQuantNorm(c);
        const tx = quantNormBench.stimulus(c, transactionCount(3000), dataSeed);
        const expected = quantNormBench.expected(c, tx);
        const inputs = quantNormBench.inputs(c, tx);
        const describe = `quant_norm ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;
        const run = await runUnit(generateQuantNorm(c), inputs, expected, describe, dataSeed);
        expect(run.check.outHandshakes).toBe(tx.length);
        expect(run.check.cycles).toBe(tx.length + d.latency);
        // The analytic model's QuantNorm stage is the 'norm' part of a requantizer with batch norm.
        const counts = workloadCounts(
          { kind: 'requantizer', elements: c.lanes * run.check.outHandshakes, acc: signed(c.accBits), batchNorm: true, activation: 'none' },
          { ...RECIPES.pikelpn, quantNorm: { multiplierBits: c.multiplierBits } },
        ).filter((o) => o.category === 'norm');
        expect(simulatedTally(quantNormInventory(c), run.check)).toEqual(tallyLayer(c.name, 'unit', counts, DEFAULT_COST_TABLE));
        configs++;
        transactions += tx.length;
        compared += run.check.compared;
      }),
      { seed, numRuns: configCount(5, 20) },
    );
    console.log(summary('quant_norm', configs, transactions, compared));
    expect(configs).toBeGreaterThan(0);
  });

  it('refuses a multiplier wider than 16 bits, naming the field, value and rule', () => {
    expect(() => quantNormGenerator.parse({ multiplierBits: 17 })).toThrow(
      'unit quant_norm: config field multiplierBits = 17 is invalid: must be an integer from 2 to 16',
    );
  });
});
