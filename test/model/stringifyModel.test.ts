// Model files are written by stringifyModel: JSON.stringify(v, null, 2) with
// arrays of finite numbers on one line. It once did that with a regular
// expression over the whole text, which overflowed the stack on ResNet-18's
// 11.7 M weights (found by the full-size accelerator runs).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringifyModel } from '../../src/model/index.ts';

/** The former definition, the reference on values it can handle. */
const viaRegex = (value: unknown): string => {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`)}\n`;
};

describe('stringifyModel', () => {
  it('gives the same text as JSON.stringify with number arrays joined, on drawn JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(stringifyModel(v)).toBe(viaRegex(v));
      }),
      { numRuns: 300 },
    );
    const odd = { a: [1, NaN, 2], b: undefined, c: [undefined, 'x'], d: {}, e: [], f: [[1, 2], [3]], g: -0, h: 1e-7, i: [1.5e300, -2], j: null, k: 'q"' };
    expect(stringifyModel(odd)).toBe(viaRegex(odd));
  });

  it('writes a 12 M-weight tensor (the regular expression overflowed the stack there)', () => {
    const w = Array.from({ length: 12_000_000 }, (_, i) => (i % 15) - 7);
    // (The regular expression threw RangeError here on Node 20; whether it does depends on the engine's
    // stack size, so that is not asserted: what is asserted is that stringifyModel writes it whole.)
    const text = stringifyModel({ w });
    expect(text.startsWith('{\n  "w": [-7, -6, -5')).toBe(true);
    expect(text.length).toBe(41_600_012);
  });
});
