// Fused QuantNorm + requantizer: co-simulated against src/ref's requantize
// (the folded form) and, as the unfused pair, the QuantNorm RTL feeding the
// double-quantized requantizer RTL against src/ref's quantNorm then
// doubleQuantRequantize; the two RTL paths are then compared output by
// output with each other, and the two reference forms on every input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { doubleQuantRequantizeBig, quantNormBig } from '../../src/ref/index.ts';
import { analyticFused } from './analyticOfUnit.ts';
import {
  deriveFusedNormRequant,
  fusedNormRequantInventory,
  fusedNormRequantSchema,
  generateFusedNormRequant,
} from '../../hdl-gen/units/fusedNormRequant/index.ts';
import { generateQuantNorm, packQuantNormInput, quantNormInventory, quantNormSchema, unpackQuantNormOutput } from '../../hdl-gen/units/quantNorm/index.ts';
import {
  type DoubleQuantConfig,
  generateRequantizer,
  packRequantizerInput,
  packRequantizerOutput,
  requantizerInventory,
  requantizerSchema,
} from '../../hdl-gen/units/requantizer/index.ts';
import { DEFAULT_COST_TABLE, tallyFromInventory } from '../../src/cost/index.ts';
import { fusedNormRequantBench, fusedReference } from '../../sim/units/index.ts';
import { configCount, propertySeed, runUnit, simulatedOutputs, simulatedTally, summary, transactionCount } from './elementwiseStimulus.ts';

const configArb = fc
  .record({
    lanes: fc.integer({ min: 1, max: 3 }),
    // The unfused requantizer takes QuantNorm's accBits + multiplierBits + 1 bits (at most 40).
    accBits: fc.integer({ min: 2, max: 23 }),
    multiplierBits: fc.integer({ min: 2, max: 16 }),
    multiplierSigned: fc.boolean(),
    scaleBits: fc.integer({ min: 2, max: 16 }),
    shiftFrac: fc.double({ min: 0, max: 1.05, noNaN: true }),
    rounding: fc.constantFrom('rdn', 'rnu', 'rne', 'rna', 'rod' as const),
    outBits: fc.integer({ min: 2, max: 8 }),
    outSigned: fc.boolean(),
  })
  .map((r) => {
    const sumBits = r.accBits + r.multiplierBits + r.scaleBits + 1;
    return fusedNormRequantSchema.parse({
      name: 'fused',
      lanes: r.lanes,
      accBits: r.accBits,
      multiplierBits: r.multiplierBits,
      multiplierSigned: r.multiplierSigned,
      scaleBits: r.scaleBits,
      shift: Math.min(64, Math.floor(r.shiftFrac * sumBits)),
      rounding: r.rounding,
      outBits: r.outBits,
      outSigned: r.outSigned,
    });
  });

describe('fused QuantNorm + requantizer equals the unfused pair and the reference on every input', () => {
  it('random configurations x corner-heavy data: fused RTL, unfused RTL pair, both references, ACEv2', async () => {
    const seed = propertySeed(5301);
    let configs = 0;
    let transactions = 0;
    let compared = 0;
    let pairCompared = 0;
    await fc.assert(
      fc.asyncProperty(configArb, fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
        const d = deriveFusedNormRequant(c);
        const out = d.out;
        const qnConfig = quantNormSchema.parse({ name: 'fused_qn', lanes: c.lanes, accBits: c.accBits, multiplierBits: c.multiplierBits, multiplierSigned: c.multiplierSigned });
        const rqConfig = requantizerSchema.parse({
          variant: 'doubleQuant',
          name: 'fused_rq',
          lanes: c.lanes,
          accBits: c.accBits + c.multiplierBits + 1,
          scaleBits: c.scaleBits,
          bias: false,
          shift: c.shift,
          rounding: c.rounding,
          outBits: c.outBits,
          outSigned: c.outSigned,
        }) as DoubleQuantConfig;
        // Raw per-channel parameters (QuantNorm's M and B, the requantizer's Q), corners included.
        const raw = fusedNormRequantBench.stimulus(c, transactionCount(3000), dataSeed);
        const describe = `fused_norm_requant ${JSON.stringify(c)} data seed ${dataSeed} (property seed ${seed})`;

        // The references: folded and unfused agree on every input.
        const unfusedRef = raw.map((lanes) => lanes.map((l) => doubleQuantRequantizeBig(quantNormBig(l['acc']!, l['multiplier']!, l['offset']!), l['scale']!, c.shift, c.rounding, out)));
        const fusedRef = fusedReference(c, raw);
        expect(fusedRef).toEqual(unfusedRef);

        // Fused RTL against the reference.
        const fusedInputs = fusedNormRequantBench.inputs(c, raw);
        const expected = fusedNormRequantBench.expected(c, raw);
        const fused = await runUnit(generateFusedNormRequant(c), fusedInputs, expected, describe, dataSeed);
        expect(fused.check.cycles).toBe(raw.length + d.latency);

        // Unfused RTL pair: QuantNorm's simulated outputs feed the requantizer.
        const qnInputs = raw.map((lanes) => packQuantNormInput(qnConfig, lanes));
        const qnModule = generateQuantNorm(qnConfig);
        const qnWords = await simulatedOutputs(qnModule, qnInputs);
        const rqInputs = qnWords.map((w, t) =>
          packRequantizerInput(rqConfig, unpackQuantNormOutput(qnConfig, w).map((n, lane) => ({ acc: n, scale: raw[t]![lane]!['scale']! }))),
        );
        const rq = await runUnit(generateRequantizer(rqConfig), rqInputs, expected, `${describe}, unfused requantizer`, dataSeed);

        // And the two RTL paths with each other, output by output.
        const fusedWords = await simulatedOutputs(generateFusedNormRequant(c), fusedInputs);
        const pairWords = await simulatedOutputs(generateRequantizer(rqConfig), rqInputs);
        expect(fusedWords.length).toBe(raw.length);
        expect(pairWords).toEqual(fusedWords);
        expect(fusedWords.map((w, t) => w === packRequantizerOutput(rqConfig, unfusedRef[t]!))).not.toContain(false);

        // ACEv2: the unfused pair's inventories equal src/cost's analytic requantizer with batch norm, the
        // fused unit's equals the same workload folded (fused: true), and the fold saves exactly m*q per element.
        const elements = c.lanes * fused.check.outHandshakes;
        const analytic = analyticFused(c, elements, false);
        const pairTally = tallyFromInventory(
          { unit: 'pair', operators: [...quantNormInventory(qnConfig).operators, ...requantizerInventory(rqConfig).operators] },
          rq.check.outHandshakes,
          DEFAULT_COST_TABLE,
        );
        expect(pairTally, describe).toEqual(analytic);
        const fusedTally = simulatedTally(fusedNormRequantInventory(c), fused.check);
        expect(fusedTally, describe).toEqual(analyticFused(c, elements));
        expect(fusedTally.acev2).toBe(analytic.acev2 - elements * c.multiplierBits * c.scaleBits);

        configs++;
        transactions += raw.length;
        compared += fused.check.compared + rq.check.compared;
        pairCompared += fusedWords.length;
      }),
      { seed, numRuns: configCount(4, 16) },
    );
    console.log(summary('fused_norm_requant', configs, transactions, compared, `fused-vs-unfused RTL outputs compared=${pairCompared}`));
    expect(pairCompared).toBeGreaterThan(0);
  });
});
