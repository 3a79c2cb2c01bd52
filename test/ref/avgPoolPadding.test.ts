// Padded average pooling (docs/semantics.md): padded positions are left out of
// the window, so each output divides its sum by its own count of real inputs
// (ONNX count_include_pad = 0). runInt (number and BigInt paths) against an
// exact oracle; a divisor that counts the padding is shown to fail the same
// property; runFloat; schema refusals; the cost model's per-count tally; the
// accelerator's refusal.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES, roundDivide, type RoundingMode } from '../../src/arith/index.ts';
import { INT_NETWORK_FORMAT, INT_NETWORK_VERSION, validateFloatNetwork, validateIntNetwork, type FloatNetwork, type IntNetwork } from '../../src/model/index.ts';
import { runFloat, runInt } from '../../src/ref/index.ts';
import { tallyLayers, poolOps } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { AccelCompileError, compileAccel, DEFAULT_ACCEL_CONFIG } from '../../src/accel/index.ts';
import { modelRefusal } from '../support/modelRefusal.ts';

interface Case { h: number; w: number; c: number; k: number; s: number; p: number; bits: number; r: RoundingMode; values: number[] }

const caseArb: fc.Arbitrary<Case> = fc
  .record({ h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 2, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 1, max: 3 }), bits: fc.constantFrom(4, 8, 16), r: fc.constantFrom(...ROUNDING_MODES) })
  .filter((t) => t.p < t.k && t.h + 2 * t.p >= t.k && t.w + 2 * t.p >= t.k)
  .chain((t) => fc.array(fc.integer({ min: -(2 ** (t.bits - 1)), max: 2 ** (t.bits - 1) - 1 }), { minLength: t.h * t.w * t.c, maxLength: t.h * t.w * t.c }).map((values) => ({ ...t, values })));

/** Exact oracle: the real inputs of each window, summed as BigInt, divided by their count (or by k*k when `countPad`). */
function oracle(t: Case, countPad = false): number[] {
  const oh = Math.floor((t.h + 2 * t.p - t.k) / t.s) + 1;
  const ow = Math.floor((t.w + 2 * t.p - t.k) / t.s) + 1;
  const out: number[] = [];
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < t.c; ch++) {
        let sum = 0n;
        let n = 0;
        for (let ky = 0; ky < t.k; ky++) {
          for (let kx = 0; kx < t.k; kx++) {
            const y = oy * t.s - t.p + ky;
            const x = ox * t.s - t.p + kx;
            if (y < 0 || y >= t.h || x < 0 || x >= t.w) continue;
            sum += BigInt(t.values[(y * t.w + x) * t.c + ch]!);
            n++;
          }
        }
        out.push(Number(roundDivide(sum, BigInt(countPad ? t.k * t.k : n), t.r)));
      }
    }
  }
  return out;
}

function poolNet(t: Case): IntNetwork {
  const lo = -(2 ** (t.bits - 1));
  const hi = 2 ** (t.bits - 1) - 1;
  return validateIntNetwork({
    format: INT_NETWORK_FORMAT, version: INT_NETWORK_VERSION, name: 'padded_pool', recipe: { name: 'test', techniques: {} },
    input: { height: t.h, width: t.w, channels: t.c, tensor: { bits: t.bits, signed: true, scale: 1 } },
    layers: [{ op: 'avgPool', name: 'pool', input: 'input', kernel: t.k, stride: t.s, padding: t.p, rounding: t.r, output: { bits: t.bits, signed: true, scale: 1, min: lo, max: hi } }],
  });
}

describe('padded average pooling in runInt', () => {
  it('equals the exact oracle on 300 random cases, number path and BigInt path', () => {
    let compared = 0;
    fc.assert(fc.property(caseArb, (t) => {
      const net = poolNet(t);
      const x = Int32Array.from(t.values);
      const want = oracle(t);
      expect(Array.from(runInt(net, x).output)).toEqual(want);
      expect(Array.from(runInt(net, x, { forceBigInt: true }).output)).toEqual(want);
      compared += want.length;
    }), { numRuns: 300, seed: 21 });
    expect(compared).toBeGreaterThan(1000);
  });
  it('the property catches a divisor that counts the padded positions (count_include_pad = 1)', () => {
    const r = fc.check(fc.property(caseArb, (t) => {
      expect(Array.from(runInt(poolNet(t), Int32Array.from(t.values)).output)).toEqual(oracle(t, true));
    }), { numRuns: 300, seed: 21 });
    expect(r.failed).toBe(true);
  });
  it('runFloat divides by the real count', () => {
    const net: FloatNetwork = validateFloatNetwork({
      format: 'pikehdl-float-network', version: 1, name: 'p', input: { height: 2, width: 2, channels: 1 },
      layers: [{ op: 'avgPool', name: 'pool', kernel: 3, stride: 1, padding: 1 }],
    });
    // Every 3x3 window on a 2x2 input with padding 1 covers all 4 real inputs: the average is theirs, not sum/9.
    expect(Array.from(runFloat(net, Float64Array.from([1, 2, 3, 6])).output)).toEqual([3, 3, 3, 3]);
  });
});

const refused = modelRefusal;

describe('padded average pooling: files, cost, accelerator', () => {
  const base = { format: 'pikehdl-float-network', version: 1, name: 'p', input: { height: 4, width: 4, channels: 2 } } as const;
  it('refuses padding on a global pool and padding not below the kernel (float and integer)', () => {
    expect(refused(() => validateFloatNetwork({ ...base, layers: [{ op: 'avgPool', name: 'pool', kernel: 'global', padding: 1 }] }))).toContain('layers[0].padding: a global pool has no padding: remove it');
    expect(refused(() => validateFloatNetwork({ ...base, layers: [{ op: 'avgPool', name: 'pool', kernel: 2, padding: 2 }] }))).toContain('layers[0].padding: padding 2 is invalid for pool kernel 2: padding must be below the kernel size');
    const t: Case = { h: 3, w: 3, c: 1, k: 3, s: 1, p: 1, bits: 4, r: 'rne', values: new Array<number>(9).fill(0) };
    const net = poolNet(t);
    expect(refused(() => validateIntNetwork({ ...net, layers: [{ ...net.layers[0]!, padding: 3 }] }))).toContain('layers[0].padding: padding 3 is invalid for pool kernel 3: padding must be below the kernel size');
  });
  it('an unpadded file keeps its meaning: padding absent = 0', () => {
    const t: Case = { h: 4, w: 4, c: 1, k: 2, s: 2, p: 0, bits: 8, r: 'rne', values: Array.from({ length: 16 }, (_, i) => i * 7 - 50) };
    const net = poolNet(t);
    const { padding: _drop, ...unpadded } = net.layers[0] as { padding?: number };
    const old = validateIntNetwork({ ...net, layers: [unpadded] });
    expect(Array.from(runInt(old, Int32Array.from(t.values)).output)).toEqual(oracle(t));
  });
  it('the cost model costs each output by its own window count', () => {
    // 3x3, stride 1, padding 1 on 4x4: 4 corners of 4 inputs, 8 edges of 6, 4 interior of 9.
    const net = validateFloatNetwork({ ...base, layers: [{ op: 'avgPool', name: 'pool', kernel: 3, stride: 1, padding: 1 }] });
    const recipe = RECIPES.pikelpn;
    const got = tallyLayers(net, recipe)[0]!;
    const input = { width: recipe.activationBits, signed: false };
    const expected = new Map<string, number>();
    for (const [window, pixels] of [[4, 4], [6, 8], [9, 4]] as const) {
      for (const o of poolOps({ input, window }, recipe)) {
        const key = JSON.stringify(o.op);
        expected.set(key, (expected.get(key) ?? 0) + o.perElement * pixels * 2);
      }
    }
    const rows = new Map(got.ops.map((o) => [JSON.stringify(o.op), o.count]));
    expect(rows).toEqual(expected);
  });
  it('the accelerator refuses a padded average pool, naming the layer and field', () => {
    const t: Case = { h: 4, w: 4, c: 2, k: 3, s: 1, p: 1, bits: 4, r: 'rdn', values: [] };
    expect(() => compileAccel(poolNet(t), DEFAULT_ACCEL_CONFIG)).toThrow(AccelCompileError);
    expect(() => compileAccel(poolNet(t), DEFAULT_ACCEL_CONFIG)).toThrow(/layer "pool": padding: padded average pooling \(padding 1\) is not supported/);
  });
});
