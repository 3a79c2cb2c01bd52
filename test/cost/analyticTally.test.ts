import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signed, unsigned } from '../../src/arith/index.ts';
import { inferShapes, type FloatNetwork } from '../../src/model/index.ts';
import { RECIPES, RECIPE_NAMES, type Recipe } from '../../src/quant/index.ts';
import { BUILTIN_NETWORK_NAMES, builtinNetwork, mnistTiny } from '../../src/networks/index.ts';
import { DEFAULT_COST_TABLE as T, type CostTable } from '../../src/cost/costTable.ts';
import { CATEGORIES } from '../../src/cost/categories.ts';
import { tallyNetwork } from '../../src/cost/analyticTally.ts';
import { tallyWorkloads } from '../../src/cost/unitWorkload.ts';
import { tallyFromInventory, type OperatorInventory } from '../../src/cost/inventory.ts';

/** 4x4x2 input, one 1x1 conv to 3 channels with batch norm and ReLU, 4-bit. */
const tiny: FloatNetwork = {
  format: 'pikehdl-float-network',
  version: 1,
  name: 'tiny',
  input: { height: 4, width: 4, channels: 2 },
  layers: [{ name: 'pw', op: 'conv2d', kernel: 1, outChannels: 3, weightBits: 4, activationBits: 4, batchNorm: true, activation: { kind: 'relu' } }],
};

describe('analytic tally of a tiny layer (hand-checked)', () => {
  // MACs: 4*4 pixels * 3 outputs * 2 inputs = 96; 48 output elements.
  // Accumulator: s4 weights [-8, 7] x u4 activations [0, 15] -> products [-120, 105],
  // two terms -> [-240, 210] -> s9.
  it('pikelpn', () => {
    const t = tallyNetwork(tiny, RECIPES.pikelpn);
    expect(t.macs).toBe(96);
    expect(t.layers[0]!.ops.find((r) => r.category === 'mac')!.key).toBe('mac 4x4 acc9');
    expect(t.ace).toBe(96 * 4 * 4); // 1536
    // per element: intMul 9x8 (72) + intAdd 17x17 (17) + intMul 18x8 (144)
    //              + the rounding increment added to floor(s26 / 2^16), an s10: intAdd 10x1 (10)
    //              + shiftConst (0) + 2 compares at 26 - 16 + 1 = 11 bits (22) = 265
    expect(t.acev2).toBe(1536 + 48 * 265); // 14256
    expect(t.byCategory.norm.acev2).toBe(48 * (72 + 17));
    expect(t.byCategory.scaling.acev2).toBe(48 * (144 + 10 + 22));
  });
  it('conventional4', () => {
    const t = tallyNetwork(tiny, RECIPES.conventional4);
    // per element: fp32 mul + add (BN) + fp32 mul (scale) + fp32 add (round) + 2 x compare 32
    expect(t.acev2).toBe(1536 + 48 * (4 * 1024 + 64)); // 201216
    expect(t.elementwiseShare).toBeCloseTo((48 * 4160) / 201216, 12);
  });
  it('float32', () => {
    const t = tallyNetwork(tiny, RECIPES.float32);
    expect(t.ace).toBe(96 * 32 * 32); // 98304
    expect(t.acev2).toBe(98304 + 48 * 2048); // BN fp32 mul + add; ReLU is a sign select
  });
});

describe('the analytic tally of a unit equals its inventory tally (the a-vs-b contract)', () => {
  // A 16-lane pikelpn requantizer on s17 accumulators, as an RTL unit would declare it.
  const inventory: OperatorInventory = {
    unit: 'requant16',
    operators: [
      { kind: 'intMul', a: 17, b: 8, category: 'norm', firingsPerTransaction: 16 },
      { kind: 'intAdd', a: 25, b: 25, category: 'norm', firingsPerTransaction: 16 },
      { kind: 'intMul', a: 26, b: 8, category: 'scaling', firingsPerTransaction: 16 },
      { kind: 'intAdd', a: 18, b: 1, category: 'scaling', firingsPerTransaction: 16 }, // + rounding bit to floor(s34 / 2^16)
      { kind: 'shiftConst', width: 34, category: 'scaling', firingsPerTransaction: 16 },
      { kind: 'compare', width: 19, category: 'scaling', firingsPerTransaction: 32 },
    ],
  };
  it('agrees exactly for 1000 transactions', () => {
    const analytic = tallyWorkloads(
      'requant16',
      [{ kind: 'requantizer', elements: 16 * 1000, acc: signed(17), batchNorm: true, activation: 'relu' }],
      RECIPES.pikelpn,
    );
    expect(tallyFromInventory(inventory, 1000, T)).toEqual(analytic);
  });
  it('a dot-product workload counts MACs with the derived accumulator width', () => {
    const t = tallyWorkloads('dot', [{ kind: 'dot', outputs: 16, depth: 512, weight: signed(4), activation: unsigned(4) }], RECIPES.pikelpn);
    expect(t.ops.map((r) => `${r.key} x${r.count}`)).toEqual(['mac 4x4 acc17 x8192']);
    expect(t.ace).toBe(8192 * 16);
  });
});

describe('properties over the built-in networks', () => {
  const cases = BUILTIN_NETWORK_NAMES.flatMap((n) => RECIPE_NAMES.map((r) => [n, r] as const));
  it.each(cases)('%s under %s: layer and category sums equal the totals; MACs match the shapes; ACEv2 >= ACE', (name, recipe) => {
    const net = builtinNetwork(name);
    const t = tallyNetwork(net, RECIPES[recipe]);
    expect(t.macs).toBe(inferShapes(net).totalMacs);
    expect(t.layers.reduce((s, l) => s + l.acev2, 0)).toBe(t.acev2);
    expect(t.layers.reduce((s, l) => s + l.ace, 0)).toBe(t.ace);
    expect(CATEGORIES.reduce((s, c) => s + t.byCategory[c].acev2, 0)).toBe(t.acev2);
    expect(t.byCategory.mac.acev2).toBe(t.ace); // the default table charges a MAC its ACE
    expect(t.acev2).toBeGreaterThan(t.ace);
    expect(Number.isSafeInteger(t.acev2)).toBe(true);
  });

  it('with every elementwise operation costed 0, ACEv2 = ACE', () => {
    const zero: CostTable = {
      ...T,
      name: 'mac-only',
      intRules: { ...T.intRules, intMul: { rule: 'zero', scale: 1 }, intAdd: { rule: 'zero', scale: 1 }, compare: { rule: 'zero', scale: 1 }, shiftVar: { rule: 'zero', scale: 1 } },
      floatRules: { ...T.floatRules, floatMul: { fp16: 0, bf16: 0, fp32: 0 }, floatAdd: { fp16: 0, bf16: 0, fp32: 0 } },
    };
    for (const r of RECIPE_NAMES) {
      const t = tallyNetwork(builtinNetwork('mobilenet_v2_1.0'), RECIPES[r], zero);
      expect(t.acev2).toBe(t.ace);
    }
  });

  it('ACE, ACEv2 and energy never fall when any bit width grows', () => {
    const base = mnistTiny();
    const weighted = base.layers.map((l, i) => (l.op === 'avgPool' ? -1 : i)).filter((i) => i >= 0);
    const bits = fc.integer({ min: 1, max: 7 });
    const recipeWith = (r: Recipe, m: number, q: number, p: number): Recipe => ({
      ...r,
      quantNorm: { multiplierBits: m },
      doubleQuant: { scaleBits: q },
      prelu: { slopeBits: p },
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bits, bits), { minLength: base.layers.length, maxLength: base.layers.length }),
        fc.tuple(bits, bits, fc.integer({ min: 2, max: 7 })),
        fc.constantFrom(...RECIPE_NAMES),
        fc.nat(),
        fc.constantFrom('weight', 'activation', 'multiplier', 'scale', 'slope'),
        (layerBits, [m, q, p], recipeName, pick, which) => {
          const net = (grow: number | null, field: 'weightBits' | 'activationBits'): FloatNetwork => ({
            ...base,
            layers: base.layers.map((l, i) => {
              const [wb, ab] = layerBits[i]!;
              const extra = grow === i ? 1 : 0;
              if (l.op === 'avgPool') return { ...l, activationBits: ab + (field === 'activationBits' ? extra : 0) };
              if (l.op === 'add') return { ...l, activationBits: ab + (field === 'activationBits' ? extra : 0) };
              return { ...l, weightBits: wb + (field === 'weightBits' ? extra : 0), activationBits: ab + (field === 'activationBits' ? extra : 0), activation: { kind: 'prelu' as const } };
            }),
          });
          const r0 = recipeWith(RECIPES[recipeName], m, q, p);
          const before = tallyNetwork(net(null, 'weightBits'), r0);
          let after;
          if (which === 'weight' || which === 'activation') {
            const layer = which === 'weight' ? weighted[pick % weighted.length]! : pick % base.layers.length;
            after = tallyNetwork(net(layer, which === 'weight' ? 'weightBits' : 'activationBits'), r0);
          } else {
            const r1 = recipeWith(RECIPES[recipeName], m + (which === 'multiplier' ? 1 : 0), q + (which === 'scale' ? 1 : 0), p + (which === 'slope' ? 1 : 0));
            after = tallyNetwork(net(null, 'weightBits'), r1);
          }
          expect(after.ace).toBeGreaterThanOrEqual(before.ace);
          expect(after.acev2).toBeGreaterThanOrEqual(before.acev2);
          expect(after.pj).toBeGreaterThanOrEqual(before.pj - 1e-9 * before.pj);
        },
      ),
      { numRuns: 200 },
    );
  });
});
