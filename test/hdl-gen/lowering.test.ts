// The emitter emits clamp/saturate, roundShift and wide right shifts as
// rewrites into primitive operators (hdl-gen/dsl/lower.ts); the evaluator
// keeps src/arith's meaning. Here the two are held equal exhaustively on
// small widths, before any simulator is involved.
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES, type Shape, clamp, maxOf, minOf, roundShift, shape } from '../../src/arith/index.ts';
import { Module, evaluate, lowerClamp, lowerRoundShift, lowerWideShift, unsigned } from '../../hdl-gen/dsl/index.ts';

function* shapes(maxWidth: number): Generator<Shape> {
  for (let w = 1; w <= maxWidth; w++) {
    yield shape(w, false);
    yield shape(w, true);
  }
}

function* values(s: Shape): Generator<bigint> {
  for (let v = minOf(s); v <= maxOf(s); v++) yield v;
}

describe('lowering agrees with src/arith (exhaustive)', () => {
  it('roundShift: widths 1..6, shifts 0..9, every mode', () => {
    let checked = 0;
    for (const s of shapes(6)) {
      const m = new Module('t');
      const x = m.input('x', s);
      for (let k = 1; k <= 9; k++) {
        for (const mode of ROUNDING_MODES) {
          const node = x.roundShift(k, mode);
          const lowered = lowerRoundShift(node);
          expect(lowered.shape).toEqual(node.shape);
          for (const v of values(s)) {
            const env = new Map([['x', v]]);
            const want = roundShift(v, k, mode);
            expect(evaluate(node, env)).toBe(want);
            if (evaluate(lowered, env) !== want) {
              throw new Error(`roundShift(${v}: ${s.signed ? 's' : 'u'}${s.width}, ${k}, ${mode}): lowered gives ${evaluate(lowered, env)}, src/arith ${want}`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('clamp: widths 1..5, every [lo, hi] in [-20, 20]', () => {
    let checked = 0;
    for (const s of shapes(5)) {
      const m = new Module('t');
      const x = m.input('x', s);
      for (let lo = -20n; lo <= 20n; lo += 3n) {
        for (let hi = lo; hi <= 20n; hi += 2n) {
          const node = x.clamp(lo, hi);
          const lowered = lowerClamp(node);
          expect(lowered.shape).toEqual(node.shape);
          for (const v of values(s)) {
            const env = new Map([['x', v]]);
            expect(evaluate(lowered, env)).toBe(clamp(v, lo, hi));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('saturate is clamp to the target shape', () => {
    for (const s of shapes(5)) {
      const m = new Module('t');
      const x = m.input('x', s);
      for (const t of shapes(4)) {
        const node = x.saturate(t);
        for (const v of values(s)) {
          const want = v < minOf(t) ? minOf(t) : v > maxOf(t) ? maxOf(t) : v;
          expect(evaluate(node, new Map([['x', v]]))).toBe(want);
        }
      }
    }
  });

  it('right shift by a wide amount: widths 1..6, amounts of 1..7 bits', () => {
    let lowered = 0;
    for (const s of shapes(6)) {
      for (let aw = 1; aw <= 7; aw++) {
        const m = new Module('t');
        const x = m.input('x', s);
        const b = m.input('b', unsigned(aw));
        const node = x.shr(b);
        const low = lowerWideShift(node);
        if (low === undefined) continue;
        lowered++;
        expect(low.shape).toEqual(node.shape);
        for (const v of values(s)) {
          for (let amt = 0n; amt < 1n << BigInt(aw); amt++) {
            const env = new Map([['x', v], ['b', amt]]);
            expect(evaluate(low, env)).toBe(v >> amt);
          }
        }
      }
    }
    expect(lowered).toBeGreaterThan(20);
  });
});
