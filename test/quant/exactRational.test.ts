import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactRational as Q } from '../../src/quant/index.ts';

describe('exact rationals', () => {
  it('fromNumber is exact: toNumber round-trips every finite double', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(Q.toNumber(Q.fromNumber(x))).toBe(x === 0 ? 0 : x);
    }), { numRuns: 5000 });
  });
  it('arithmetic on dyadics', () => {
    expect(Q.cmp(Q.add(Q.fromNumber(0.1), Q.fromNumber(0.2)), Q.fromNumber(0.3))).not.toBe(0); // 0.1+0.2 != 0.3 exactly
    expect(Q.cmp(Q.dyadic(3, 2), Q.fromNumber(0.75))).toBe(0);
    expect(Q.cmp(Q.dyadic(3, -2), Q.fromInt(12))).toBe(0);
  });
});
