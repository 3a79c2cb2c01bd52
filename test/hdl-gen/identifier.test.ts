// Identifier validation: what is accepted is a plain identifier that no
// Verilog, SystemVerilog or Verilator-generated C++ name can collide with.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_PATTERN, MAX_IDENTIFIER_LENGTH, Module, identifierProblem, reservedWords } from '../../hdl-gen/dsl/index.ts';
import { expectDslError } from './expectDslError.ts';

describe('identifiers', () => {
  it('accepts plain names', () => {
    for (const n of ['a', 'dot_product', 'leaf0', 'x_1_y', 'Q', 'a'.repeat(MAX_IDENTIFIER_LENGTH)]) {
      expect(identifierProblem(n), n).toBeUndefined();
    }
  });

  it('rejects injection, bad characters, length and double underscores', () => {
    for (const n of ['x; assign y = 1;', '', '1abc', '_a', 'a-b', 'a b', 'a$b', 'a\nb', 'é', 'a__b', 'a'.repeat(MAX_IDENTIFIER_LENGTH + 1)]) {
      expect(identifierProblem(n), JSON.stringify(n)).toBeDefined();
    }
    expect(identifierProblem(42)).toBe('must be a string, not number');
  });

  it('rejects every Verilog-2005, SystemVerilog and C++ reserved word', () => {
    const words = reservedWords();
    for (const w of ['always', 'module', 'wire', 'logic', 'class', 'int', 'bool', 'delete', 'switch', 'NULL', 'main', 'or', 'xor']) {
      expect(words).toContain(w);
    }
    for (const w of words) expect(identifierProblem(w), w).toMatch(/keyword|reserved/);
    expect(words.length).toBeGreaterThan(250);
  });

  it('anything accepted is a safe identifier (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 70 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,70}$/), fc.constantFrom(...reservedWords())), (s) => {
        if (identifierProblem(s) !== undefined) return;
        expect(s).toMatch(IDENTIFIER_PATTERN);
        expect(s.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
        expect(s).not.toContain('__');
        expect(reservedWords()).not.toContain(s);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('modules, ports, wires, registers, instances and memories all check their names', () => {
    expectDslError(() => new Module('always'), 'module name "always" is a Verilog-2005 keyword: pick another name');
    const m = new Module('m');
    const a = m.input('a', { width: 4, signed: false });
    expectDslError(() => m.output('wire', { width: 1, signed: false }), 'module m: output name "wire" is a Verilog-2005 keyword: pick another name');
    expectDslError(() => m.reg('int', { width: 1, signed: false }), 'module m: register name "int" is a SystemVerilog keyword: pick another name');
    expectDslError(
      () => m.rom('x y', { shape: { width: 1, signed: false }, contents: [0], addr: a }),
      'module m: memory read data name "x y" is not an identifier: it must match /^[A-Za-z][A-Za-z0-9_]*$/ (a letter, then letters, digits or _)',
    );
    const child = new Module('c');
    child.assign(child.output('y', { width: 1, signed: false }), child.input('x', { width: 1, signed: false }));
    expectDslError(() => m.instance('new', child, { x: a.bit(0) }), 'module m: instance name "new" is a SystemVerilog keyword: pick another name');
  });
});
