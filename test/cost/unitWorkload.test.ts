// The unit workloads' parameters (src/cost unitWorkload.ts): each one changes
// exactly what it names, its default is the network tallies' convention, and
// a misuse is refused with the field, the value and the rule.
import { describe, expect, it } from 'vitest';
import { range, signed, unsigned } from '../../src/arith/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { type Workload, tallyWorkloads, workloadCounts } from '../../src/cost/unitWorkload.ts';
import { opKey } from '../../src/cost/ops.ts';

const pikelpn = RECIPES.pikelpn;
const keys = (w: Workload, r = pikelpn): string[] => workloadCounts(w, r).map((o) => `${o.category} ${opKey(o.op)} x${o.count}`);

describe('dot: weight range', () => {
  it('binary and ternary weights derive the accumulator from -1..1, not from the code width', () => {
    // 5 terms of (-1..1) x (0..7): -35..35 -> s7; a 1-bit two's-complement weight (-1..0) would give s7 too but
    // a 2-bit one (-2..1) gives -70..35 -> s8.
    const base = { kind: 'dot', outputs: 1, depth: 5, activation: unsigned(3) } as const;
    expect(keys({ ...base, weight: signed(2) })).toEqual(['mac mac 2x3 acc8 x5']);
    expect(keys({ ...base, weight: signed(2), weightRange: range(-1n, 1n) })).toEqual(['mac mac 2x3 acc7 x5']);
    expect(keys({ ...base, weight: signed(1), weightRange: range(-1n, 1n) })).toEqual(['mac mac 1x3 acc7 x5']);
  });
});

describe('requantizer: shifts, fold and zero point', () => {
  const prelu = { kind: 'requantizer', elements: 1, acc: signed(12), batchNorm: true, activation: 'prelu' } as const;
  it('preluShift defaults to slopeBits - 1 and changes only the PReLU rounding and the clamp', () => {
    expect(keys({ ...prelu, preluShift: pikelpn.prelu.slopeBits - 1 })).toEqual(keys(prelu));
    const a = keys(prelu);
    const b = keys({ ...prelu, preluShift: 0 });
    expect(b.filter((k) => k.includes('intMul'))).toEqual(a.filter((k) => k.includes('intMul')));
    expect(b).not.toEqual(a);
    expect(b.some((k) => k.startsWith('activation shiftConst'))).toBe(false);
  });
  it('fused: one acc x (m+q) multiply and one add; the fold saves m*q ACEv2 per element', () => {
    const w = { kind: 'requantizer', elements: 10, acc: signed(12), batchNorm: true, activation: 'none' } as const;
    const m = pikelpn.quantNorm.multiplierBits;
    const q = pikelpn.doubleQuant.scaleBits;
    expect(keys({ ...w, fused: true }).filter((k) => k.startsWith('norm') || k.includes('intMul'))).toEqual([
      `norm intMul 12x${m + q} x10`,
      `norm intAdd ${12 + m + q}x${12 + m + q} x10`,
    ]);
    expect(tallyWorkloads('u', [w], pikelpn).acev2 - tallyWorkloads('u', [{ ...w, fused: true }], pikelpn).acev2).toBe(10 * m * q);
  });
  it('fused needs an integer QuantNorm and Double Quantization, and batch norm', () => {
    const w = { kind: 'requantizer', elements: 1, acc: signed(12), activation: 'none', fused: true } as const;
    expect(() => workloadCounts({ ...w, batchNorm: true }, RECIPES.conventional4)).toThrow('requantizer: fused is invalid for recipe conventional4');
    expect(() => workloadCounts({ ...w, batchNorm: false }, pikelpn)).toThrow('requantizer: fused is invalid for recipe pikelpn without batch norm');
  });
  it('TFLite: the output zero point add is counted unless the zero point is 0', () => {
    const w = { kind: 'requantizer', elements: 1, acc: signed(20), batchNorm: true, activation: 'none' } as const;
    const zp = (k: string[]): number => k.filter((x) => x === 'scaling intAdd 32x8 x1').length;
    expect(zp(keys(w, RECIPES.tflite8))).toBe(1);
    expect(zp(keys({ ...w, outputZeroPoint: -5 }, RECIPES.tflite8))).toBe(1);
    expect(zp(keys({ ...w, outputZeroPoint: 0 }, RECIPES.tflite8))).toBe(0);
    expect(() => workloadCounts({ ...w, outputZeroPoint: 0 }, pikelpn)).toThrow('requantizer: outputZeroPoint 0 is invalid: only an integer, and only for a TFLite requantizer');
  });
});

describe('residual: shift', () => {
  it('defaults to scaleBits; another shift changes the rounding add and the clamp', () => {
    const w = { kind: 'residual', elements: 1, a: signed(8), b: signed(8), activation: 'none' } as const;
    expect(keys({ ...w, shift: pikelpn.doubleQuant.scaleBits })).toEqual(keys(w));
    // No shift: no rounding add and no shift; the clamp reads the whole s17 sum.
    expect([...keys({ ...w, shift: 0 })].sort()).toEqual(['residual intAdd 16x16 x1', 'scaling compare 17 x2', 'scaling intMul 8x8 x1', 'scaling intMul 8x8 x1'].sort());
    expect(() => keys({ ...w, shift: -1 })).toThrow('residual: shift -1 is invalid: expected a non-negative integer');
  });
});

describe('rescale and activation workloads', () => {
  it('rescale is the scale stage of a requantizer after QuantNorm', () => {
    const full = workloadCounts({ kind: 'requantizer', elements: 3, acc: signed(9), batchNorm: true, activation: 'none' }, pikelpn).filter((o) => o.category === 'scaling');
    const m = pikelpn.quantNorm.multiplierBits;
    const rescale = workloadCounts({ kind: 'rescale', elements: 3, input: signed(9 + m + 1), bias: false, shift: m + pikelpn.doubleQuant.scaleBits }, pikelpn);
    expect(rescale).toEqual(full);
    expect(() => workloadCounts({ kind: 'rescale', elements: 1, input: signed(9), bias: false, shift: 1 }, RECIPES.conventional4)).toThrow(
      'rescale: recipe conventional4 has no integer Double Quantization scale',
    );
  });
  it('activation: ReLU is the clamp; PReLU the slope multiply, its rounding shift and the clamp', () => {
    expect(keys({ kind: 'activation', elements: 2, input: signed(16), activation: 'relu' })).toEqual(['scaling compare 16 x4']);
    const s = pikelpn.prelu.slopeBits;
    expect(keys({ kind: 'activation', elements: 1, input: signed(16), activation: 'prelu', preluShift: 3 })).toEqual([
      `activation intMul 16x${s} x1`,
      `activation intAdd ${16 + s - 3}x1 x1`, // the half bit added to floor(product / 2^3)
      `activation shiftConst ${16 + s} x1`,
      `scaling compare ${16 + s - 3 + 1} x2`, // rnu's rounding can carry into one more bit
    ]);
  });
});
