// Hand-checked per-element costs of the elementwise rules (docs/acev2.md).
import { describe, expect, it } from 'vitest';
import { signed, unsigned } from '../../src/arith/index.ts';
import { RECIPES, withTechniques } from '../../src/quant/index.ts';
import { DEFAULT_COST_TABLE as T, opCost } from '../../src/cost/costTable.ts';
import { opKey } from '../../src/cost/ops.ts';
import { requantizerOps, residualOps, poolOps, type ElementOp } from '../../src/cost/elementwise.ts';

const listed = (ops: readonly ElementOp[]): string[] => ops.map((o) => `${o.category} ${opKey(o.op)}${o.perElement > 1 ? ` x${o.perElement}` : ''}`);
const cost = (ops: readonly ElementOp[]): number => ops.reduce((s, o) => s + o.perElement * opCost(T, o.op), 0);

describe('requantizer (one output element after a conv/dense accumulator)', () => {
  const acc = signed(17); // e.g. 4-bit signed weights x 4-bit unsigned activations over K = 512
  it('pikelpn: QuantNorm int multiply and add, double-quantized scale, rounding shift, clamp', () => {
    const ops = requantizerOps({ acc, batchNorm: true, activation: 'relu' }, RECIPES.pikelpn);
    // n = acc*M (s17 x u8 -> s25) + B (s25) -> s26; t = floor(n*Q (s26 x u8 -> s34) / 2^16) (s18) + half bit -> s19
    expect(listed(ops)).toEqual([
      'norm intMul 17x8',
      'norm intAdd 25x25',
      'scaling intMul 26x8',
      'scaling intAdd 18x1',
      'scaling shiftConst 34',
      'scaling compare 19 x2',
    ]);
    expect(cost(ops)).toBe(17 * 8 + 25 + 26 * 8 + 18 + 0 + 2 * 19); // 425
  });
  it('pikelpn with a known shift uses it for the clamp width', () => {
    const ops = requantizerOps({ acc, batchNorm: true, activation: 'relu', shift: 24 }, RECIPES.pikelpn);
    expect(listed(ops).at(-1)).toBe('scaling compare 11 x2'); // 34 - 24 + 1
  });
  it('conventional4: fp32 batch norm, fp32 scaling, fp32 round, clamp', () => {
    const ops = requantizerOps({ acc, batchNorm: true, activation: 'relu' }, RECIPES.conventional4);
    expect(listed(ops)).toEqual(['norm floatMul fp32', 'norm floatAdd fp32', 'scaling floatMul fp32', 'scaling floatAdd fp32', 'scaling compare 32 x2']);
    expect(cost(ops)).toBe(4 * 1024 + 64); // 4160
  });
  it('conventional4 with PReLU adds an fp32 multiply; pikelpn a slope multiply and rounding shift', () => {
    expect(cost(requantizerOps({ acc, batchNorm: true, activation: 'prelu' }, RECIPES.conventional4))).toBe(5 * 1024 + 64);
    const ops = requantizerOps({ acc, batchNorm: true, activation: 'prelu' }, RECIPES.pikelpn);
    // t s19 x slope s8 -> s27; floor(/ 2^7) s20 + half bit -> s21; clamp at max(19, 21) = 21
    expect(listed(ops).slice(-4)).toEqual(['activation intMul 19x8', 'activation intAdd 20x1', 'activation shiftConst 27', 'scaling compare 21 x2']);
  });
  it('float32: fp32 batch norm; ReLU free, ReLU6 one compare; no rounding or clamp', () => {
    expect(listed(requantizerOps({ acc, batchNorm: true, activation: 'relu' }, RECIPES.float32))).toEqual(['norm floatMul fp32', 'norm floatAdd fp32']);
    expect(listed(requantizerOps({ acc, batchNorm: true, activation: 'relu6' }, RECIPES.float32)).at(-1)).toBe('activation compare 32');
    expect(listed(requantizerOps({ acc, batchNorm: false, activation: 'none' }, RECIPES.float32))).toEqual(['norm floatAdd fp32']); // bias
  });
  it('QuantNorm alone: integer norm, then fp32 scale and round', () => {
    const r = withTechniques(RECIPES.pikelpn, { doubleQuant: false });
    expect(listed(requantizerOps({ acc, batchNorm: true, activation: 'relu' }, r))).toEqual([
      'norm intMul 17x8',
      'norm intAdd 25x25',
      'scaling floatMul fp32',
      'scaling floatAdd fp32',
      'scaling compare 32 x2',
    ]);
  });
  it('no batch norm: the bias is an add before the scale (integer) or with it (float)', () => {
    expect(listed(requantizerOps({ acc, batchNorm: false, activation: 'none' }, RECIPES.pikelpn)).slice(0, 2)).toEqual([
      'norm intAdd 17x17',
      'scaling intMul 18x8',
    ]);
    expect(listed(requantizerOps({ acc, batchNorm: false, activation: 'none' }, RECIPES.conventional4))).toEqual([
      'scaling floatMul fp32',
      'norm floatAdd fp32',
      'scaling floatAdd fp32',
      'scaling compare 32 x2',
    ]);
  });
  it('tflite8: bias add, 32-bit fixed-point multiply, rounding divide by a per-channel power of two, zero point, clamp', () => {
    const ops = requantizerOps({ acc: signed(26), batchNorm: true, activation: 'relu' }, RECIPES.tflite8);
    expect(cost(ops)).toBe(32 + 1024 + 64 + 0 + 160 + 32 + 32 + 32 + 64); // 1440
  });
});

describe('residual add and average pool', () => {
  it('pikelpn residual: two u4 x u8 rescales, add, rounding shift, clamp', () => {
    const ops = residualOps({ a: unsigned(4), b: unsigned(4), activation: 'none' }, RECIPES.pikelpn);
    // u4*u8 -> u12 (x2); u12+u12 -> u13; floor(/ 2^8) u5 + half bit -> u6; clamp at 6
    expect(listed(ops)).toEqual(['scaling intMul 4x8', 'scaling intMul 4x8', 'residual intAdd 12x12', 'scaling intAdd 5x1', 'scaling shiftConst 13', 'scaling compare 6 x2']);
    expect(cost(ops)).toBe(32 + 32 + 12 + 5 + 0 + 12); // 93
  });
  it('conventional4 residual: two fp32 rescales, fp32 add, round, clamp', () => {
    expect(cost(residualOps({ a: unsigned(4), b: signed(4), activation: 'relu' }, RECIPES.conventional4))).toBe(4 * 1024 + 64);
  });
  it('float32 residual: one fp32 add', () => {
    expect(listed(residualOps({ a: unsigned(4), b: unsigned(4), activation: 'relu' }, RECIPES.float32))).toEqual(['residual floatAdd fp32']);
  });
  it('integer global pool over 7x7: 48 adds into a u10 sum, a rounding divide by 49 as an 11-bit reciprocal multiply', () => {
    for (const r of [RECIPES.pikelpn, RECIPES.conventional4]) {
      const ops = poolOps({ input: unsigned(4), window: 49 }, r);
      // 49 * 15 = 735 fits u10; u10 * u11 -> u21; + the rounding offset B = 24*m (14 bits) -> u22, >> L;
      // no saturation (an average stays in range)
      expect(listed(ops)).toEqual(['pooling intAdd 10x4 x48', 'pooling intMul 10x11', 'pooling intAdd 21x14', 'pooling shiftConst 22']);
      expect(cost(ops)).toBe(48 * 10 + 110 + 21 + 0); // 611
    }
  });
  it('rdn and rod on signed sums pay the offset add that keeps the reciprocal exact below zero; on unsigned sums not', () => {
    const rdn = { ...RECIPES.pikelpn, rounding: 'rdn' as const };
    expect(listed(poolOps({ input: unsigned(4), window: 9 }, rdn))).toEqual(['pooling intAdd 8x4 x8', 'pooling intMul 8x9', 'pooling shiftConst 17']);
    const signedOps = listed(poolOps({ input: signed(4), window: 9 }, rdn));
    expect(signedOps.filter((o) => o.startsWith('pooling intAdd 17x'))).toHaveLength(1);
  });
  it('a huge window over 1-bit inputs needs a multiplier of sum + 2 bits', () => {
    const ops = listed(poolOps({ input: unsigned(1), window: 1023 * 1023 }, RECIPES.pikelpn));
    expect(ops[1]).toBe('pooling intMul 20x22');
  });
  it('a power-of-two window divides by a rounding shift', () => {
    expect(listed(poolOps({ input: unsigned(4), window: 4 }, RECIPES.pikelpn))).toEqual(['pooling intAdd 6x4 x3', 'pooling intAdd 4x1', 'pooling shiftConst 6']);
  });
  it('float32 pool: 48 fp32 adds and one fp32 multiply', () => {
    expect(cost(poolOps({ input: unsigned(4), window: 49 }, RECIPES.float32))).toBe(49 * 1024);
  });
});
