import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_COST_TABLE as T } from '../../src/cost/costTable.ts';
import { tallyLayer, tallyNetworkFromLayers, tallyOps, type OpCount } from '../../src/cost/tally.ts';
import { tallyFromInventory, type OperatorInventory } from '../../src/cost/inventory.ts';
import { CATEGORIES } from '../../src/cost/categories.ts';
import { opCount } from './arbitraries.ts';

describe('tally', () => {
  it('merges equal operations, costs them, and sorts by category then key (hand-checked)', () => {
    const counts: OpCount[] = [
      { category: 'norm', op: { kind: 'floatMul', format: 'fp32' }, count: 10 },
      { category: 'mac', op: { kind: 'mac', weight: 4, activation: 4, acc: 13 }, count: 90 },
      { category: 'norm', op: { kind: 'floatMul', format: 'fp32' }, count: 5 },
      { category: 'activation', op: { kind: 'compare', width: 32 }, count: 15 },
    ];
    const l = tallyLayer('l0', 'conv2d', counts, T);
    expect(l.ops.map((r) => `${r.category} ${r.key} x${r.count}`)).toEqual([
      'mac mac 4x4 acc13 x90',
      'norm floatMul fp32 x15',
      'activation compare 32 x15',
    ]);
    expect(l.macs).toBe(90);
    expect(l.ace).toBe(90 * 16); // 1440
    expect(l.acev2).toBe(90 * 16 + 15 * 1024 + 15 * 32); // 1440 + 15360 + 480 = 17280
    expect(l.byCategory.norm.acev2).toBe(15360);
    expect(l.byCategory.pooling.acev2).toBe(0);
  });

  it('refuses a MAC outside the mac category and an elementwise op inside it', () => {
    expect(() => tallyOps([{ category: 'norm', op: { kind: 'mac', weight: 4, activation: 4, acc: 9 }, count: 1 }], T)).toThrow(
      'mac 4x4 acc9: category norm is invalid: MAC operations and only they belong to category mac',
    );
    expect(() => tallyOps([{ category: 'mac', op: { kind: 'intAdd', a: 4, b: 4 }, count: 1 }], T)).toThrow('category mac is invalid');
  });

  it('refuses counts that are not exact non-negative integers', () => {
    expect(() => tallyOps([{ category: 'residual', op: { kind: 'intAdd', a: 4, b: 4 }, count: 1.5 }], T)).toThrow(
      'residual intAdd 4x4: count 1.5 is invalid: a count must be a non-negative integer below 2^53',
    );
    expect(() => tallyOps([{ category: 'residual', op: { kind: 'intAdd', a: 4, b: 4 }, count: 2 ** 53 }], T)).toThrow('count');
  });

  const layers = fc.array(fc.array(opCount, { maxLength: 12 }), { minLength: 1, maxLength: 6 });

  it('ACEv2 >= ACE, and ACEv2 = ACE exactly when there are no elementwise ops', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const net = tallyNetworkFromLayers('n', 'r', T, ls.map((c, i) => tallyLayer(`l${i}`, 'x', c, T)));
        expect(net.acev2).toBeGreaterThanOrEqual(net.ace);
        const macOnly = tallyNetworkFromLayers('n', 'r', T, ls.map((c, i) => tallyLayer(`l${i}`, 'x', c.filter((x) => x.category === 'mac'), T)));
        expect(macOnly.acev2).toBe(macOnly.ace);
        expect(macOnly.elementwiseShare).toBe(0);
      }),
    );
  });

  it('per-layer and per-category sums equal the network totals', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const net = tallyNetworkFromLayers('n', 'r', T, ls.map((c, i) => tallyLayer(`l${i}`, 'x', c, T)));
        const sum = (f: (l: (typeof net.layers)[number]) => number): number => net.layers.reduce((s, l) => s + f(l), 0);
        expect(sum((l) => l.acev2)).toBe(net.acev2);
        expect(sum((l) => l.ace)).toBe(net.ace);
        expect(sum((l) => l.macs)).toBe(net.macs);
        expect(CATEGORIES.reduce((s, c) => s + net.byCategory[c].acev2, 0)).toBe(net.acev2);
        // The merged operation list costs the same as the layers (integer costs: exact).
        expect(net.ops.reduce((s, r) => s + r.acev2, 0)).toBe(net.acev2);
        expect(net.ops.reduce((s, r) => s + r.pj, 0)).toBeCloseTo(net.pj, 6);
      }),
    );
  });
});

describe('operator inventory', () => {
  const requantizer: OperatorInventory = {
    unit: 'requant16',
    operators: [
      { kind: 'intMul', a: 19, b: 8, category: 'norm', firingsPerTransaction: 16 },
      { kind: 'intAdd', a: 27, b: 27, category: 'norm', firingsPerTransaction: 16 },
      { kind: 'intAdd', a: 28, b: 1, category: 'scaling', firingsPerTransaction: 16 },
      { kind: 'shiftConst', width: 28, category: 'scaling', firingsPerTransaction: 16 },
      { kind: 'compare', width: 20, category: 'activation', firingsPerTransaction: 32 },
    ],
  };
  it('inventory x transactions gives the hand-checked tally', () => {
    const t = tallyFromInventory(requantizer, 100, T);
    // per transaction: 16*(19*8) + 16*27 + 16*28 + 0 + 32*20 = 2432 + 432 + 448 + 640 = 3952
    expect(t.acev2).toBe(395_200);
    expect(t.ace).toBe(0);
    expect(t.name).toBe('requant16');
    expect(t.ops.find((r) => r.key === 'intMul 19x8')?.count).toBe(1600);
  });
  it('equals the tally of the same counts built directly', () => {
    const direct = tallyLayer('requant16', 'unit', requantizer.operators.map((e) => {
      const { category, firingsPerTransaction, ...op } = e;
      return { category, op, count: firingsPerTransaction * 7 } as OpCount;
    }), T);
    expect(tallyFromInventory(requantizer, 7, T)).toEqual(direct);
  });
  it('refuses a fractional firing count, naming the operator', () => {
    const bad: OperatorInventory = { unit: 'u', operators: [{ kind: 'compare', width: 4, category: 'activation', firingsPerTransaction: 0.5 }] };
    expect(() => tallyFromInventory(bad, 1, T)).toThrow('u: operators[0].firingsPerTransaction 0.5 is invalid: expected a non-negative integer');
  });
});
