// Uniform quantizers: code ranges (binary, ternary, b-bit), per-channel vs
// per-tensor, asymmetric zero points, power-of-two scales, clipping rules.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantizeTensor, dequantize, quantizationError, codeRange, type QuantizerSpec } from '../../src/quant/index.ts';

const spec = (over: Partial<QuantizerSpec>): QuantizerSpec => ({ bits: 4, symmetric: true, granularity: 'per-tensor', clipping: 'max', powerOfTwoScale: false, ...over });
const layout = { channels: 2, axis: 'outer' as const };

describe('quantizers', () => {
  it('code ranges: binary +-1, ternary, 4-bit symmetric, 4-bit asymmetric', () => {
    expect(codeRange(spec({ bits: 1 }))).toEqual({ qmin: -1, qmax: 1 });
    expect(codeRange(spec({ bits: 2 }))).toEqual({ qmin: -1, qmax: 1 });
    expect(codeRange(spec({ bits: 4 }))).toEqual({ qmin: -7, qmax: 7 });
    expect(codeRange(spec({ bits: 4, symmetric: false }))).toEqual({ qmin: 0, qmax: 15 });
  });

  it('binary weights are signs times the mean magnitude', () => {
    const q = quantizeTensor([0.5, -1.5, 1, -0.2], { channels: 1, axis: 'outer' }, spec({ bits: 1 }));
    expect(Array.from(q.values)).toEqual([1, -1, 1, -1]);
    expect(q.scales[0]).toBeCloseTo(0.8, 12);
  });

  it('ternary weights use {-1, 0, 1}', () => {
    const q = quantizeTensor([0.9, -0.1, -1, 0.2], { channels: 1, axis: 'outer' }, spec({ bits: 2 }));
    expect(Array.from(q.values)).toEqual([1, 0, -1, 0]);
  });

  it('per-channel scales follow each channel (outer axis) and the inner axis for depthwise layouts', () => {
    const q = quantizeTensor([1, -1, 0.5, 0.01, 0.02, -0.01], { channels: 2, axis: 'outer' }, spec({ granularity: 'per-channel' }));
    expect(q.scales[0]).toBeCloseTo(1 / 7, 12);
    expect(q.scales[1]).toBeCloseTo(0.02 / 7, 12);
    const d = quantizeTensor([1, 0.01, -1, 0.02], { channels: 2, axis: 'inner' }, spec({ granularity: 'per-channel' }));
    expect(Array.from(d.values)).toEqual([7, 4, -7, 7]);
  });

  it('asymmetric keeps 0 exact and covers [min, max]', () => {
    const q = quantizeTensor([0, 0.3, 1.5, -0.5], { channels: 1, axis: 'outer' }, spec({ symmetric: false, bits: 8 }));
    const d = dequantize(q);
    expect(d[0]).toBe(0);
    expect(Math.abs(d[2]! - 1.5)).toBeLessThanOrEqual(q.scales[0]! / 2 + 1e-12);
  });

  it('power-of-two scales are powers of two and never clip more than max', () => {
    const q = quantizeTensor([0.3, -0.7, 0.1], { channels: 1, axis: 'outer' }, spec({ powerOfTwoScale: true }));
    expect(Number.isInteger(Math.log2(q.scales[0]!))).toBe(true);
    expect(q.scales[0]! * 7).toBeGreaterThanOrEqual(0.7);
  });

  it('every code lies in the range; mse clipping is never worse than max; error <= s/2 without clipping', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 40 }).map((a) => (a.length % 2 ? a.slice(1) : a)),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.constantFrom('per-tensor' as const, 'per-channel' as const),
        (x, bits, symmetric, granularity) => {
          const sMax = spec({ bits, symmetric, granularity });
          const q = quantizeTensor(x, layout, sMax);
          for (const v of q.values) expect(v >= q.qmin && v <= q.qmax).toBe(true);
          const e = quantizationError(x, q);
          const mse = quantizationError(x, quantizeTensor(x, layout, { ...sMax, clipping: 'mse' }));
          expect(mse.mse).toBeLessThanOrEqual(e.mse * (1 + 1e-12) + 1e-300);
          if (!(symmetric && bits === 1)) expect(e.maxAbs).toBeLessThanOrEqual(Math.max(...q.scales) / 2 + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses bits outside 1..8 and a percentile rule without a percentile', () => {
    expect(() => quantizeTensor([1], { channels: 1, axis: 'outer' }, spec({ bits: 9 }))).toThrow('bits 9 is invalid: bits must be an integer from 1 to 8');
    expect(() => quantizeTensor([1], { channels: 1, axis: 'outer' }, spec({ clipping: 'percentile' }))).toThrow("clipping 'percentile' needs a percentile");
  });
});
