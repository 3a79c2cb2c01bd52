import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { intAddPj, intMulPj, opEnergyPj, HOROWITZ_2014_PJ as H } from '../../src/cost/energy.ts';
import { anyOp } from './arbitraries.ts';
import type { Op } from '../../src/cost/ops.ts';

describe('energy model (Horowitz ISSCC 2014, 45 nm)', () => {
  it('passes exactly through the published integer anchors', () => {
    expect(intAddPj(8)).toBeCloseTo(0.03, 12);
    expect(intAddPj(32)).toBeCloseTo(0.1, 12);
    expect(intMulPj(8, 8)).toBeCloseTo(0.2, 12);
    expect(intMulPj(32, 32)).toBeCloseTo(3.1, 12);
  });
  it('uses the published float figures; bf16 borrows fp16', () => {
    expect(opEnergyPj({ kind: 'floatAdd', format: 'fp32' })).toBe(H.fp32Add);
    expect(opEnergyPj({ kind: 'floatMul', format: 'fp32' })).toBe(H.fp32Mul);
    expect(opEnergyPj({ kind: 'floatMul', format: 'fp16' })).toBe(H.fp16Mul);
    expect(opEnergyPj({ kind: 'floatMul', format: 'bf16' })).toBe(H.fp16Mul);
    expect(opEnergyPj({ kind: 'floatMac', format: 'fp32' })).toBeCloseTo(0.9 + 3.7, 12);
  });
  it('charges a MAC its multiply plus its accumulator add', () => {
    // 8x8 multiply 0.2 pJ + 32-bit add 0.1 pJ
    expect(opEnergyPj({ kind: 'mac', weight: 8, activation: 8, acc: 32 })).toBeCloseTo(0.3, 12);
  });
  it('interpolates: a 16-bit add is 0.03 + 8 * (0.07 / 24) pJ', () => {
    expect(intAddPj(16)).toBeCloseTo(0.03 + (8 * 0.07) / 24, 12);
    // 16x16 multiply: 0.2 + (256 - 64) * 2.9 / 960
    expect(intMulPj(16, 16)).toBeCloseTo(0.2 + (192 * 2.9) / 960, 12);
  });
  it('is positive and never falls when a width grows', () => {
    const grown = (op: Op): Op => {
      switch (op.kind) {
        case 'mac':
          return { ...op, weight: op.weight + 1, activation: op.activation + 1, acc: op.acc + 1 };
        case 'intMul':
        case 'intAdd':
          return { ...op, a: op.a + 1, b: op.b + 1 };
        case 'compare':
        case 'shiftConst':
          return { ...op, width: op.width + 1 };
        case 'shiftVar':
          return { ...op, width: op.width + 1, amountBits: op.amountBits + 1 };
        default:
          return { ...op, format: 'fp32' };
      }
    };
    fc.assert(
      fc.property(anyOp, (op) => {
        const e = opEnergyPj(op);
        expect(e).toBeGreaterThanOrEqual(0);
        if (op.kind !== 'shiftConst') expect(e).toBeGreaterThan(0);
        expect(opEnergyPj(grown(op))).toBeGreaterThanOrEqual(e);
      }),
    );
  });
});
