// Expression-level rule violations, each with its exact message.
import { describe, it } from 'vitest';
import { Module, bus, cat, constant, mux, signed, unsigned } from '../../hdl-gen/dsl/index.ts';
import type { RoundingMode } from '../../hdl-gen/dsl/index.ts';
import { expectDslError } from './expectDslError.ts';

function fixture() {
  const m = new Module('m');
  return {
    m,
    a: m.input('a', unsigned(8)),
    s: m.input('s', signed(3)),
    wide: m.input('wide', unsigned(200)),
    wider: m.input('wider', unsigned(100)),
    word: m.input('word', bus(300)),
  };
}

describe('expression errors', () => {
  it('a constant must fit its shape', () => {
    expectDslError(() => constant(300, unsigned(8)), 'constant 300 does not fit u8 (0..255)');
    expectDslError(() => constant(-1, unsigned(4)), 'constant -1 does not fit u4 (0..15)');
  });

  it('numbers must be integers', () => {
    const { a } = fixture();
    expectDslError(() => a.add(1.5), 'add: 1.5 is not an integer (use a bigint beyond 2^53)');
  });

  it('a mux select must be u1', () => {
    const { a, s } = fixture();
    expectDslError(
      () => mux(a, a, a),
      'module m: mux: select a is u8: a mux select must be u1 (compare or .bit() to get one bit)',
    );
    expectDslError(() => mux(s.bit(0).asSigned(), a, a), 'module m: mux: select resize(...) is s1: a mux select must be u1 (compare or .bit() to get one bit)');
  });

  it('a variable shift amount must be unsigned', () => {
    const { a, s } = fixture();
    expectDslError(() => a.shl(s), 'module m: shl of a (u8), s (s3): shift amount is s3: a variable shift amount must be unsigned');
    expectDslError(() => a.shr(s), 'module m: shr of a (u8), s (s3): shift amount is s3: a variable shift amount must be unsigned');
  });

  it('a result wider than 256 bits is refused', () => {
    const { wide, wider } = fixture();
    expectDslError(() => wide.mul(wider), 'module m: mul of wide (u200), wider (u100): the result would be 300 bits wide: at most 256 bits');
    expectDslError(() => wide.shl(57), 'module m: shl by 57 of wide (u200): the result would be 257 bits wide: at most 256 bits');
  });

  it('slices must lie inside the value', () => {
    const { a } = fixture();
    expectDslError(() => a.slice(8, 0), 'module m: slice of a (u8): [8:0] of u8 is invalid: need 0 <= lo <= hi < 8');
    expectDslError(() => a.slice(2, 3), 'module m: slice of a (u8): [2:3] of u8 is invalid: need 0 <= lo <= hi < 8');
  });

  it('truncate only narrows', () => {
    const { a } = fixture();
    expectDslError(() => a.truncate(9), 'module m: truncate of a (u8) to 9 bits is invalid: truncate only narrows (1 to 8 bits); use .resize() to extend');
  });

  it('roundShift needs a known mode and a shift from 0 to 1024', () => {
    const { a } = fixture();
    expectDslError(() => a.roundShift(2, 'nearest' as RoundingMode), 'module m: roundShift: mode "nearest" is unknown: use one of rdn, rnu, rne, rna, rod');
    expectDslError(() => a.roundShift(-1, 'rnu'), 'module m: roundShift: shift -1 is invalid: a shift must be an integer from 0 to 1024');
  });

  it('clamp needs lo <= hi', () => {
    const { a } = fixture();
    expectDslError(() => a.clamp(5, 4), 'module m: clamp of a: lo 5 is above hi 4: need lo <= hi');
  });

  it('constant shifts must be non-negative integers', () => {
    const { a } = fixture();
    expectDslError(() => a.shr(-2), 'module m: shr: constant shift -2 is invalid: it must be an integer from 0 to 65536');
  });

  it('packed buses are not numbers', () => {
    const { word, a } = fixture();
    expectDslError(() => word.add(a), 'module m: add: operand word is a 300-bit bus: arithmetic takes at most 256 bits; take a .slice() of it first');
    expectDslError(() => cat(word, word.slice(255, 0).resize(bus(65_300))), 'module m: cat: 2 parts are 65600 bits wide: at most 65536 bits');
    expectDslError(() => bus(70_000), 'bus: width 70000 is invalid: a bus width must be an integer from 1 to 65536');
  });

  it('shapes given by callers are checked', () => {
    const { m, a } = fixture();
    expectDslError(() => m.input('z', { width: 0, signed: false }), 'module m: input "z": width 0 is invalid: an unsigned width must be an integer from 1 to 65536');
    expectDslError(() => m.input('z', { width: 300, signed: true }), 'module m: input "z": width 300 is invalid: a signed width must be an integer from 1 to 256');
    expectDslError(() => a.resize({ width: 3.5, signed: false }), 'module m: resize of a: width 3.5 is invalid: an unsigned width must be an integer from 1 to 65536');
  });
});
