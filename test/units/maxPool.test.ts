// Max pooling: configuration errors; random configurations (global and k x k, cropped edges, signed and
// unsigned, 1 to 12 bits) co-simulated in Verilator (always ready and under
// backpressure) and Icarus against src/ref's maxPoolInto, bit-exact, with
// exact cycle counts; ACEv2 from the inventory x output handshakes equal to
// src/cost's analytic max-pool tally (window - 1 compares per output).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_COST_TABLE, tallyFromInventory, tallyWorkloads } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { type MaxPoolConfig, deriveMaxPool, generateMaxPool, maxPoolCycles, maxPoolGenerator, maxPoolInventory, maxPoolSchema } from '../../hdl-gen/units/maxPool/index.ts';
import { maxPoolBench, maxPoolReference } from '../../sim/units/index.ts';
import { configCount, propertySeed, summary } from './elementwiseStimulus.ts';
import { type PoolUnitUnderTest, poolCosim } from './poolCosim.ts';


describe('maxPool configuration', () => {
  it('names the field, the value and the rule', () => {
    expect(() => maxPoolGenerator.parse({ kernel: 3, stride: 2 })).toThrow(
      'unit max_pool: config field stride = 2 is invalid: must equal kernel 3: only non-overlapping windows (stride = kernel) are built',
    );
    expect(() => maxPoolGenerator.parse({ kernel: 5, width: 4 })).toThrow('config field width = 4 is invalid: must be at least kernel 5: no 5x5 window fits');
    expect(() => maxPoolGenerator.parse({ rounding: 'rne' })).toThrow('rounding');
  });

  it('the reference takes the largest real input of each window, ties and all', () => {
    const c = maxPoolSchema.parse({ channels: 1, inputBits: 4, inputSigned: true, width: 4, height: 2, kernel: 2 });
    const img = [-8, -8, 7, 7, -8, -7, 7, 6].map((v) => [BigInt(v)]);
    expect(maxPoolReference(c, [img])).toEqual([[-7n], [7n]]);
  });
});

// Lint (Verilator -Wall, Icarus -Wall, Yosys check -assert) of the default and every lint point:
// test/lint/lintGate.test.ts, which covers every registered generator, max_pool included.

// ---- co-simulation ------------------------------------------------------------

const globalArb = fc.record({ kernel: fc.constant<'global'>('global'), width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) });
const localArb = fc.integer({ min: 1, max: 7 }).chain((k) =>
  fc.record({ kernel: fc.constant(k), width: fc.integer({ min: k, max: 4 * k + 3 }), height: fc.integer({ min: k, max: 3 * k + 2 }) }),
);
const configArb = (windows: fc.Arbitrary<{ kernel: 'global' | number; width: number; height: number }>): fc.Arbitrary<MaxPoolConfig> =>
  fc
    .record({ w: windows, channels: fc.integer({ min: 1, max: 4 }), inputBits: fc.integer({ min: 1, max: 12 }), inputSigned: fc.boolean() })
    .map((r) => maxPoolSchema.parse({ name: 'pool', channels: r.channels, inputBits: r.inputBits, inputSigned: r.inputSigned, ...r.w }));

const analyticTally = (c: MaxPoolConfig, outputs: number) =>
  tallyWorkloads(c.name, [{ kind: 'maxPool', outputs: outputs * c.channels, window: deriveMaxPool(c).count, input: deriveMaxPool(c).value }], RECIPES.pikelpn);

const totals = { configs: 0, pixels: 0, compared: 0, aceExact: 0 };
afterAll(() => {
  if (totals.configs > 0) console.log(summary('max_pool', totals.configs, totals.pixels, totals.compared, `ACEv2 tallies identical=${totals.aceExact}`));
});

const unit: PoolUnitUnderTest<MaxPoolConfig> = {
  name: 'max_pool',
  bench: maxPoolBench,
  geometry: deriveMaxPool,
  generate: generateMaxPool,
  cycles: maxPoolCycles,
  inventory: maxPoolInventory,
  analytic: analyticTally,
};

async function cosim(c: MaxPoolConfig, dataSeed: number, seed: number): Promise<void> {
  const r = await poolCosim(unit, c, dataSeed, seed);
  totals.aceExact++;
  totals.configs++;
  totals.pixels += r.pixels;
  totals.compared += r.compared;
}

describe('maxPool: bit-exact co-simulation against src/ref maxPoolInto', () => {
  for (const [kind, windows, seedBase, runs] of [
    ['global', globalArb, 5801, 1],
    ['k x k', localArb, 5802, 2],
  ] as const) {
    it(`${kind}: random configurations x corner and near-tie images, backpressure, Icarus, exact cycles, ACEv2`, async () => {
      const seed = propertySeed(seedBase);
      let ran = 0;
      await fc.assert(
        fc.asyncProperty(configArb(windows), fc.integer({ min: 0, max: 2 ** 30 }), async (c, dataSeed) => {
          await cosim(c, dataSeed, seed);
          ran++;
        }),
        { seed, numRuns: configCount(runs, 12) },
      );
      expect(ran).toBeGreaterThan(0);
      expect(totals.compared).toBeGreaterThan(0);
    }, 600_000);
  }
});

describe('maxPool ACEv2 without simulation: inventory = analytic max-pool tally', () => {
  it('on the default, the lint points and drawn configurations', () => {
    const check = (c: MaxPoolConfig): void => {
      expect(tallyFromInventory(maxPoolInventory(c), 5, DEFAULT_COST_TABLE), JSON.stringify(c)).toEqual(analyticTally(c, 5));
    };
    for (const p of [maxPoolGenerator.defaultConfig, ...maxPoolGenerator.lintPoints]) check(maxPoolSchema.parse(p));
    fc.assert(fc.property(configArb(fc.oneof(globalArb, localArb)), (c) => check(c)), { numRuns: 60 });
  });
});
