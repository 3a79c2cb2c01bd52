// The properties issue 13's survivors led to, each shown on the mutant it
// exists for: MAC-array mutants that survive the old properties (zeroed
// registers, outputs and always-ready cycles only) and are killed by the
// cycle-exact timing under stall patterns or by an unknown initial state; and
// the dead-bit arguments, which must mark a mutant equivalent only when no
// reader can see the changed bit (a design that reads the bit is not marked).
import { describe, expect, it } from 'vitest';
import { type Expr, Module, cat, constant, mux, signed, unsigned } from '../../hdl-gen/dsl/index.ts';
import { mutantSchemata } from '../../hdl-gen/mutate/index.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { buildSimulator } from '../../sim/index.ts';
import { findUnitBench } from '../../sim/units/index.ts';
import { mutateUnit, propertyFrames } from '../../src/verify/mutateUnit.ts';
import { UNKNOWN_INITIAL_STATE_FLAGS, runMutant } from '../../src/verify/runMutant.ts';
import { schemataDesign } from '../../src/verify/schemataDesign.ts';

const UNIT = 'mac_array';
const bench = findUnitBench(UNIT)!;
const prepared = bench.prepare(findGenerator(UNIT)!.defaultConfig, bench.defaultCount, 1);
const mutations = mutantSchemata(prepared.module, { select: new Set() }).mutations;
const idOf = (re: RegExp): number => {
  const hits = mutations.filter((m) => re.test(m.description));
  expect(hits, `one mutant matches ${re}`).toHaveLength(1);
  return hits[0]!.id;
};

describe('mac_array survivors of the old properties', () => {
  const stall = [idOf(/mac_array\.out_free: or -> and/), idOf(/mac_array\.take: not -> buffer/)];
  const reset = idOf(/mac_array\.p_valid: reset value 0 -> 1/);
  const dead = [idOf(/mac_array_pe\.sum: add result loses its top bit/), idOf(/mac_array\.step_count: add result loses its top bit/)];

  it('survive outputs + always-ready cycles from zeroed registers, and are killed by the timing and initial-state properties', async () => {
    const ids = [...stall, reset, ...dead];
    const r = await mutateUnit(UNIT, prepared, { budget: ids.length, seed: 1, ids });
    const by = new Map(r.mutants.map((m) => [m.id, m]));
    for (const id of stall) {
      expect(by.get(id)!.outcome).toBe('killed');
      expect(by.get(id)!.by).toMatch(/under the same stall pattern/);
    }
    expect(by.get(reset)!.outcome).toBe('killed');
    expect(by.get(reset)!.by).toMatch(/initial state/);
    for (const id of dead) {
      expect(by.get(id)!.outcome).toBe('equivalent');
      expect(by.get(id)!.by).toMatch(/dead bit/);
    }

    // The old properties on the same build (a cache hit): zeroed registers, no timing reference.
    const design = schemataDesign(prepared.module, new Set(ids));
    const built = await buildSimulator(design.sim, { log: () => {}, extraVerilatorArgs: [...UNKNOWN_INITIAL_STATE_FLAGS] });
    expect(built.cacheHit).toBe(true);
    const frames = propertyFrames(prepared, design.sim.outWidth, design.sim.inWidth);
    // Zeroed explicitly: a launch that names no initial state now starts random (sim/startSimulator.ts).
    const zeroed = [{ name: 'zeroed registers', args: ['+verilator+rand+reset+0'] }];
    for (const id of [...stall, reset]) expect((await runMutant(built, id, frames, 30_000, zeroed)).outcome).toBe('survived');
  }, 300_000);
});

/** out = f(a, b) for 3-bit inputs a, b registered, with the expression given. */
function tiny(name: string, f: (a: Expr, b: Expr) => Expr, outWidth: number): Module {
  const m = new Module(name);
  const inp = m.streamIn('in', unsigned(6));
  const out = m.streamOut('out', unsigned(outWidth));
  const a = m.reg('a', unsigned(3), { reset: 0 });
  const b = m.reg('b', unsigned(3), { reset: 0 });
  const v = m.reg('v', unsigned(1), { reset: 0 });
  m.update(a, inp.data.slice(2, 0));
  m.update(b, inp.data.slice(5, 3));
  m.update(v, inp.valid);
  m.assign(inp.ready, constant(1, unsigned(1)));
  m.markUnused(out.ready);
  m.assign(out.valid, v);
  m.assign(out.data, f(a, b).resize(unsigned(outWidth)));
  return m;
}

describe('dead-bit arguments', () => {
  const marks = (m: Module, re: RegExp): (string | undefined)[] => mutantSchemata(m, { select: new Set() }).mutations.filter((x) => re.test(x.description)).map((x) => x.equivalentBy?.why);

  it('marks a top bit no reader keeps, through a mux and an and', () => {
    const m = tiny('dead_top', (a, b) => a.add(b).and(constant(15, unsigned(4))), 3);
    expect(marks(m, /add result loses its top bit/)).toEqual([expect.stringMatching(/need only its low 3 bits/)]);
  });

  it('does not mark a top bit the output reads (the fixture that would hide a real mutant)', () => {
    const m = tiny('live_top', (a, b) => a.add(b), 4);
    expect(marks(m, /add result loses its top bit/)).toEqual([undefined]);
  });

  it('marks a top bit that only copies the sign or is 0 by the value range, not one that is used', () => {
    // Two u3 values widened to u4: their u5 sum is at most 14, which fits 4 bits.
    const small = tiny('small_sum', (a, b) => a.resize(unsigned(4)).add(b.resize(unsigned(4))), 5);
    expect(marks(small, /add result loses its top bit/)).toEqual([expect.stringMatching(/lies in \[0, 14\]/)]);
    // a + b of two u3 is u4 and reaches 14: its top bit is needed.
    const full = tiny('full_sum', (a, b) => a.add(b), 4);
    expect(marks(full, /add result loses its top bit/)).toEqual([undefined]);
  });

  it('follows value ranges through a variable right shift and a constant left shift', () => {
    // (a >> b) stays within a's [0, 7] although its u6 shape allows 63; << 2 gives [0, 28]; the sum [0, 56] fits 8 of its 9 bits.
    const shifted = tiny('shift_range', (a, b) => {
      const y = a.resize(unsigned(6)).shr(b).shl(2);
      return y.add(y);
    }, 9);
    expect(marks(shifted, /add result loses its top bit/)).toEqual([expect.stringMatching(/lies in \[0, 56\]/)]);
  });

  it('marks a compare constant moved off 0 only where both selected arms are 0 at 0 (PReLU\'s select)', () => {
    // mux(x < 0, x * b, x): x < 0 and x < 1 differ only at x = 0, where both arms are 0.
    const prelu = tiny('prelu_select', (a, b) => {
      const x = a.sub(b);
      return mux(x.lt(0), x.mul(b).resize(signed(4)), x);
    }, 4);
    expect(marks(prelu, /constant 0 -> 1/)).toEqual([expect.stringMatching(/differs only where its operand is 0/)]);
    // An arm that is not 0 at 0 (x + 1), or a boundary away from 0 (x < 2), is not marked.
    const plusOne = tiny('plus_one_arm', (a, b) => {
      const x = a.sub(b);
      return mux(x.lt(0), x.add(1).resize(signed(4)), x);
    }, 4);
    expect(marks(plusOne, /constant 0 -> 1/)).toEqual([undefined]);
    const atTwo = tiny('boundary_two', (a, b) => {
      const x = a.sub(b);
      return mux(x.lt(2), x.mul(b).resize(signed(4)), x);
    }, 4);
    expect(marks(atTwo, /constant 2 -> 3/)).toEqual([undefined]);
  });

  it('marks a slice moved within sign-copy bits, not one that reaches a value bit', () => {
    // a - b lies in [-7, 7]: of its s8 widening, bits 3..7 all copy the sign.
    const top = tiny('sign_slice', (a, b) => a.sub(b).resize(signed(8)).slice(7, 7), 1);
    expect(marks(top, /\[7:7\] -> \[6:6\]/)).toEqual([expect.stringMatching(/bits from 3 up are all copies of the sign/)]);
    const low = tiny('value_slice', (a, b) => a.sub(b).resize(signed(8)).slice(7, 3), 5);
    expect(marks(low, /\[7:3\] -> \[6:2\]/)).toEqual([undefined]);
  });

  it('marks add <-> sub only when readers see bit 0 alone', () => {
    expect(marks(tiny('low_bit', (a, b) => a.add(b).slice(0, 0), 1), /add -> sub/)).toEqual([expect.stringMatching(/bit 0/)]);
    expect(marks(tiny('two_bits', (a, b) => a.add(b).slice(1, 0), 2), /add -> sub/)).toEqual([undefined]);
  });

  it('marks > -> >= only where every reader chooses between the compare\'s own operands', () => {
    const maxOf = tiny('running_max', (a, b) => mux(a.gt(b), a, b), 3);
    expect(marks(maxOf, /gt -> ge/)).toEqual([expect.stringMatching(/on a tie both arms are equal/)]);
    // The tie shows when an arm is something else (here a + 1), or when the compare is read as a value.
    const other = tiny('other_arm', (a, b) => mux(a.gt(b), a.add(1).resize(unsigned(3)), b), 3);
    expect(marks(other, /gt -> ge/)).toEqual([undefined]);
    const asValue = tiny('compare_value', (a, b) => {
      const c = a.gt(b);
      return cat(c, mux(c, a, b));
    }, 4);
    expect(marks(asValue, /gt -> ge/).every((x) => x === undefined)).toBe(true);
  });

  it('marks a signed compare made unsigned only where a bounds check guards its negative operand', () => {
    // x = a - b is s4 (-7..7); b is u3. x >= 0 && x < b: the accelerator's tap-inside test.
    const guarded = tiny('bounds_check', (a, b) => {
      const x = a.sub(b);
      return x.ge(0).and(x.lt(b));
    }, 1);
    expect(marks(guarded, /signed lt -> unsigned lt/)).toEqual([expect.stringMatching(/signed and unsigned compares of non-negative values agree/)]);
    // No guard: x = -1 reads as 15 unsigned, so x < b differs (the fixture that would hide a real mutant).
    expect(marks(tiny('unguarded', (a, b) => a.sub(b).lt(b), 1), /signed lt -> unsigned lt/)).toEqual([undefined]);
    // A guard on another value guards nothing.
    const wrongGuard = tiny('wrong_guard', (a, b) => b.sub(a).ge(0).and(a.sub(b).lt(b)), 1);
    expect(marks(wrongGuard, /signed lt -> unsigned lt/)).toEqual([undefined]);
    // The compare also read as a value (not only through the guarded and).
    const alsoRead = tiny('also_read', (a, b) => {
      const x = a.sub(b);
      const c = x.lt(b);
      return cat(c, x.ge(0).and(c));
    }, 2);
    expect(marks(alsoRead, /signed lt -> unsigned lt/)).toEqual([undefined]);
  });
});
