// The accelerator's run-time rounding shift (hdl-gen/accel/roundShiftVar.ts)
// against src/arith's roundShift, exhaustively at small widths: every value,
// every shift the shift field holds (including shifts at and beyond the
// value's width), every rounding code of the layer program. The expression
// fuzzer holds the emitted Verilog to the evaluator; this holds the
// construction to the spec, before any simulator is involved.
import { describe, expect, it } from 'vitest';
import { maxOf, minOf, roundShift, shape } from '../../src/arith/index.ts';
import { ROUNDING_CODES } from '../../src/accel/index.ts';
import { roundShiftVar } from '../../hdl-gen/accel/roundShiftVar.ts';
import { Module, evaluate, unsigned } from '../../hdl-gen/dsl/index.ts';

describe('roundShiftVar equals src/arith roundShift (exhaustive)', () => {
  it('signed widths 2..7, shifts 0..15, every rounding code', () => {
    let checked = 0;
    for (let w = 2; w <= 7; w++) {
      const s = shape(w, true);
      const m = new Module('t');
      const x = m.input('x', s);
      const e = m.input('e', unsigned(4));
      const mode = m.input('mode', unsigned(3));
      const node = roundShiftVar(x, e, mode);
      for (let v = minOf(s); v <= maxOf(s); v++) {
        for (let k = 0; k < 16; k++) {
          ROUNDING_CODES.forEach((rm, code) => {
            const got = evaluate(node, new Map([['x', v], ['e', BigInt(k)], ['mode', BigInt(code)]]));
            const want = roundShift(v, k, rm);
            if (got !== want) throw new Error(`roundShiftVar(${v}: s${w}, ${k}, ${rm}) = ${got}, src/arith says ${want}`);
            checked++;
          });
        }
      }
    }
    expect(checked).toBe([2, 3, 4, 5, 6, 7].reduce((s, w) => s + 2 ** w, 0) * 16 * ROUNDING_CODES.length);
  });
});
