// Module-level rule violations, each with its exact message: shapes on
// assign, drivers, reading undriven signals, unread declarations,
// combinational loops (with the path), instances, memories, sealing.
import { describe, it } from 'vitest';
import { Module, constant, signed, unsigned } from '../../hdl-gen/dsl/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { expectDslError } from './expectDslError.ts';

describe('module errors: drivers and shapes', () => {
  it('assign needs exactly equal shapes: no implicit extension', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(8));
    const y = m.output('y', unsigned(8));
    expectDslError(
      () => m.assign(y, a.add(1)),
      'module m: assign to output y: value add(...) is u9 but y is u8: shapes must match exactly (no implicit extension or truncation); convert with .resize(), .saturate(), .truncate() or .roundShift()',
    );
    const z = m.output('z', signed(8));
    expectDslError(
      () => m.assign(z, a),
      'module m: assign to output z: value a is u8 but z is s8: shapes must match exactly (no implicit extension or truncation); convert with .resize(), .saturate(), .truncate() or .roundShift()',
    );
  });

  it('an input cannot be driven', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(8));
    expectDslError(() => m.assign(a, constant(0, unsigned(8))), 'module m: cannot drive input a: an input is driven from outside the module');
  });

  it('a signal has one driver', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(8));
    const w = m.wire('w', a);
    expectDslError(() => m.assign(w, a), 'module m: wire w already has a driver: every signal has exactly one driver');
    const r = m.reg('r', unsigned(8));
    m.update(r, a);
    expectDslError(() => m.update(r, a), 'module m: register r already has a next value: every signal has exactly one driver');
  });

  it('registers are updated, wires assigned', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(8));
    const r = m.reg('r', unsigned(8));
    const w = m.wire('w', unsigned(8));
    expectDslError(() => m.assign(r, a), 'module m: r is a register: give it its next value with m.update(r, value)');
    expectDslError(() => m.update(w, a), 'module m: w is a wire, not a register: drive it with m.assign(w, value)');
  });

  it('a register reset value must fit and an enable must be u1', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(8));
    expectDslError(() => m.reg('r', unsigned(8), { reset: 256 }), 'module m: register r: reset value 256 does not fit u8 (0..255)');
    const r = m.reg('q', unsigned(8));
    expectDslError(() => m.update(r, a, { enable: a }), 'module m: update of register q: enable is u8: it must be u1');
  });

  it('a module reads only its own signals', () => {
    const other = new Module('other');
    const b = other.input('b', unsigned(8));
    const m = new Module('m');
    const y = m.output('y', unsigned(8));
    expectDslError(
      () => m.assign(y, b),
      'module m: assign to output y reads b of module other: a module reads only its own signals (connect it through a port)',
    );
    expectDslError(() => other.assign(y, b), 'module other: cannot assign to y: it belongs to module m');
  });
});

describe('module errors: found when sealing', () => {
  it('reading an undriven wire', () => {
    const m = new Module('m');
    const w = m.wire('w', unsigned(4));
    m.assign(m.output('y', unsigned(4)), w);
    expectDslError(() => emitDesign(m), 'module m: wire w is read but never driven: drive it with m.assign(w, value)');
  });

  it('an output never driven', () => {
    const m = new Module('m');
    m.output('y', unsigned(4));
    expectDslError(() => emitDesign(m), 'module m: output y is never driven: drive it with m.assign(y, value)');
  });

  it('a register never updated', () => {
    const m = new Module('m');
    const r = m.reg('r', unsigned(4));
    m.assign(m.output('y', unsigned(4)), r);
    expectDslError(() => emitDesign(m), 'module m: register r is never updated: give it a next value with m.update(r, value)');
  });

  it('an input never read (unless marked)', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(4));
    m.assign(m.output('y', unsigned(4)), constant(3, unsigned(4)));
    expectDslError(() => m.seal(), 'module m: input a is never read: use it, or call m.markUnused(a) if that is deliberate');
    m.markUnused(a);
    m.seal();
  });

  it('a combinational loop, reported with its path', () => {
    const m = new Module('m');
    const a = m.input('a', unsigned(4));
    const p = m.wire('p', unsigned(4));
    const q = m.wire('q', unsigned(4));
    m.assign(p, q.xor(a));
    m.assign(q, p.and(a));
    m.assign(m.output('y', unsigned(4)), q);
    expectDslError(
      () => emitDesign(m),
      "module m: combinational loop q -> p -> q: each signal's value depends on the next in the same cycle; break the loop with a register",
    );
  });

  it('a combinational loop through an instance', () => {
    const child = new Module('pass');
    m_pass(child);
    const m = new Module('top');
    const w = m.wire('w', unsigned(4));
    const u = m.instance('u0', child, { x: w });
    m.assign(w, u.out('y'));
    m.assign(m.output('y', unsigned(4)), w);
    expectDslError(
      () => emitDesign(m),
      "module top: combinational loop w -> u0_y -> w: each signal's value depends on the next in the same cycle; break the loop with a register",
    );
  });

  it('a register breaks the loop', () => {
    const m = new Module('m');
    const r = m.reg('r', unsigned(4));
    m.update(r, r.add(1).truncate(4));
    m.assign(m.output('y', unsigned(4)), r);
    emitDesign(m);
  });

  it('a sealed module cannot change', () => {
    const m = new Module('m');
    m.assign(m.output('y', unsigned(1)), constant(1, unsigned(1)));
    m.seal();
    expectDslError(() => m.wire('w', unsigned(1)), 'module m is sealed (it was instantiated or emitted): it can no longer change');
  });
});

function m_pass(child: Module): void {
  const x = child.input('x', unsigned(4));
  child.assign(child.output('y', unsigned(4)), x);
}

describe('module errors: names', () => {
  it('module names are identifiers and not reserved words', () => {
    expectDslError(
      () => new Module('x; assign y = 1;'),
      'module name "x; assign y = 1;" is not an identifier: it must match /^[A-Za-z][A-Za-z0-9_]*$/ (a letter, then letters, digits or _)',
    );
    expectDslError(() => new Module('always'), 'module name "always" is a Verilog-2005 keyword: pick another name');
    expectDslError(() => new Module('logic'), 'module name "logic" is a SystemVerilog keyword: pick another name');
    expectDslError(() => new Module('delete'), 'module name "delete" is reserved in the C++ Verilator generates: pick another name');
  });

  it('signal names are checked the same way, and unique', () => {
    const m = new Module('m');
    expectDslError(() => m.input('class', unsigned(1)), 'module m: input name "class" is a SystemVerilog keyword: pick another name');
    expectDslError(() => m.wire('a__b', unsigned(1)), 'module m: wire name "a__b" contains "__": double underscores are reserved for the C++ names Verilator generates');
    expectDslError(() => m.wire('_x', unsigned(1)), 'module m: wire name "_x" is not an identifier: it must match /^[A-Za-z][A-Za-z0-9_]*$/ (a letter, then letters, digits or _)');
    expectDslError(() => m.wire('w'.repeat(65), unsigned(1)), `module m: wire name "${'w'.repeat(65)}" is 65 characters long: at most 64 are allowed`);
    m.input('a', unsigned(1));
    expectDslError(() => m.reg('a', unsigned(1)), 'module m: register name "a" is already used by input a: names must be unique in a module');
    expectDslError(() => m.input('clk', unsigned(1)), 'module m: input name "clk" is reserved for the clock (call m.clockDomain(); registers create it on their own)');
  });

  it('names made in a generate loop must be unique', () => {
    const m = new Module('m');
    for (let i = 0; i < 3; i++) m.wire(`lane${i}`, unsigned(2));
    expectDslError(() => m.wire('lane1', unsigned(2)), 'module m: wire name "lane1" is already used by wire lane1: names must be unique in a module');
  });
});

describe('module errors: instances and memories', () => {
  function child(): Module {
    const c = new Module('child');
    const x = c.input('x', unsigned(4));
    const r = c.reg('r', unsigned(4));
    c.update(r, x);
    c.assign(c.output('y', unsigned(4)), r);
    return c;
  }

  it('every input connected, by name, with its exact shape', () => {
    const m = new Module('top');
    const a = m.input('a', unsigned(5));
    expectDslError(() => m.instance('u0', child(), {}), 'module top: instance u0 of child: input port x is not connected');
    expectDslError(() => m.instance('u0', child(), { x: a.truncate(4), z: a }), 'module top: instance u0 of child: child has no port "z"');
    expectDslError(() => m.instance('u0', child(), { x: a }), 'module top: instance u0 of child: port x is u4 but the connected value a is u5: shapes must match exactly');
    expectDslError(
      () => m.instance('u0', child(), { x: a.truncate(4), y: a }),
      'module top: instance u0 of child: y is an output of child: read outputs with inst.out("y")',
    );
    expectDslError(() => m.instance('u0', child(), { x: a.truncate(4), clk: a.bit(0) }), "module top: instance u0 of child: clk is connected to this module's own clk: do not connect it");
    const u = m.instance('u0', child(), { x: a.truncate(4) });
    expectDslError(() => u.out('q'), 'module top: instance u0 of child: child has no output port "q" (outputs: y)');
  });

  it('memory addresses are unsigned, contents fit, RAM data matches', () => {
    const m = new Module('m');
    const a = m.input('a', signed(4));
    expectDslError(() => m.rom('lut', { shape: unsigned(8), contents: [1, 2], addr: a }), 'module m: rom lut: address is s4: an address must be unsigned with at most 20 bits');
    expectDslError(
      () => m.rom('lut', { shape: unsigned(2), contents: [1, 4], addr: a.asUnsigned() }),
      'module m: rom lut: contents[1] = 4 does not fit u2 (0..3)',
    );
    expectDslError(
      () => m.rom('lut', { shape: unsigned(2), contents: new Array(17).fill(0), addr: a.asUnsigned() }),
      'module m: rom lut: contents has 17 entries: a ROM addressed by u4 holds 1 to 16',
    );
    const u = a.asUnsigned();
    expectDslError(
      () => m.ram('mem', { shape: unsigned(8), writeAddr: u, writeData: u, writeEnable: u.bit(0), readAddr: u }),
      'module m: ram mem: write data is u4 but the RAM holds u8: shapes must match exactly',
    );
    expectDslError(
      () => m.ram('mem', { shape: unsigned(4), writeAddr: u, writeData: u, writeEnable: u, readAddr: u }),
      'module m: ram mem: write enable is u4: it must be u1',
    );
    expectDslError(
      () => m.ram('mem', { shape: unsigned(4), writeAddr: u, writeData: u, writeEnable: u.bit(0), readAddr: u.truncate(3) }),
      'module m: ram mem: read address is u3 but write address is u4: they must have the same width',
    );
  });

  it('two different modules cannot share a name in one design', () => {
    const top = new Module('top');
    const a = top.input('a', unsigned(4));
    const u0 = top.instance('u0', child(), { x: a });
    const other = new Module('child');
    other.assign(other.output('y', unsigned(4)), other.input('x', unsigned(4)).not());
    const u1 = top.instance('u1', other, { x: a });
    top.assign(top.output('y', unsigned(4)), u0.out('y').xor(u1.out('y')));
    expectDslError(() => emitDesign(top), 'emitDesign: two different modules are named child: give each configuration its own module name');
  });
});
