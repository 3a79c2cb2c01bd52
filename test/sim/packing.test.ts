import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesPerTransaction, compareOutputs, packValues, unpackValues, writeValue } from '../../sim/index.ts';

const widthArb = fc.constantFrom(1, 7, 8, 9, 16, 17, 32, 33, 63, 64, 65, 130, 300);

describe('packing', () => {
  it('round-trips values of every width little-endian in ceil(W/8) bytes', () => {
    fc.assert(
      fc.property(widthArb, fc.array(fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), { maxLength: 20 }), (w, raw) => {
        const values = raw.map((v) => BigInt.asUintN(w, v));
        const bytes = packValues(values, w);
        expect(bytes.length).toBe(values.length * bytesPerTransaction(w));
        expect(unpackValues(bytes, values.length, w)).toEqual(values);
      }),
    );
  });

  it('puts the least significant byte first and wraps values mod 2^W', () => {
    expect([...packValues([0x1abn, 0x1n, 0x2345n], 9)]).toEqual([0xab, 0x01, 0x01, 0x00, 0x45, 0x01]);
  });
});

describe('compareOutputs', () => {
  it('counts every compared output and reports index, expected and actual', () => {
    const exp = packValues([1n, 2n, 3n, 4n], 12);
    const act = packValues([1n, 2n, 0xabcn, 4n], 12);
    const r = compareOutputs(exp, act, 4, 12);
    expect(r.compared).toBe(4);
    expect(r.mismatches).toEqual([{ index: 2, expected: 3n, actual: 0xabcn }]);
  });

  it('ignores padding bits above the width but not the top data bit', () => {
    const exp = packValues([0x1ffn], 9);
    const act = new Uint8Array(exp);
    act[1]! |= 0xfe;
    expect(compareOutputs(exp, act, 1, 9).mismatches).toHaveLength(0);
    act[1] = 0;
    expect(compareOutputs(exp, act, 1, 9).mismatches).toHaveLength(1);
  });

  it('finds a single flipped bit anywhere in a wide value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 299 }), fc.integer({ min: 0, max: 9 }), (bit, index) => {
        const values = Array.from({ length: 10 }, (_, i) => BigInt(i) * 0x123456789n);
        const exp = packValues(values, 300);
        const act = new Uint8Array(exp);
        writeValue(act, index, 300, values[index]! ^ (1n << BigInt(bit)));
        const r = compareOutputs(exp, act, 10, 300);
        expect(r.mismatches.map((m) => m.index)).toEqual([index]);
      }),
    );
  });

  it('rejects arrays shorter than the count', () => {
    expect(() => compareOutputs(new Uint8Array(2), new Uint8Array(4), 2, 16)).toThrow(/needs 2 x 2 bytes/);
  });
});
