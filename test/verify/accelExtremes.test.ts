// The accelerator workload's programs at the ends of their fields
// (src/verify/accelExtremes.ts): each rewrites what its name says, stays
// inside the fields it rewrites, and (for the padding lanes) leaves the layer
// program's answer unchanged, so a difference can only be the hardware's.
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../src/accel/index.ts';
import { fits, minOf, shape } from '../../src/arith/index.ts';
import { extremePrograms } from '../../src/verify/accelExtremes.ts';
import { ACCEL_MUTATION_CONFIG } from '../../src/verify/accelWorkload.ts';

const c = ACCEL_MUTATION_CONFIG;
const cases = extremePrograms(c);
const byName = (prefix: string) => cases.filter((x) => x.name.startsWith(prefix));

describe('extreme layer programs', () => {
  it('puts every weight at the 8-bit minimum, with inputs at the activation minimum', () => {
    const [p] = byName('extreme program: weights at the 8-bit minimum');
    expect(p).toBeDefined();
    const wMin = minOf(shape(c.weightBits, true));
    const aMin = minOf(shape(c.actBits, true));
    expect(p!.program.weightWords.every((w) => w.every((v) => BigInt(v) === wMin))).toBe(true);
    expect(p!.inputs[0]!.every((v) => BigInt(v) === aMin)).toBe(true);
    // The largest product, summed over every tap of an output, stays inside the accumulator: the
    // program is legal hardware input, so a difference from the interpreter is the RTL's.
    const d0 = p!.program.layers[0]!;
    const worst = BigInt(d0.macs / d0.outputElements) * wMin * aMin;
    expect(worst).toBeGreaterThan(0n);
    expect(fits(worst, shape(c.accBits, true))).toBe(true);
    const out = runProgram(p!.program, p!.inputs[0]!);
    expect(out.output.length).toBe(p!.program.layers[p!.program.layers.length - 1]!.outputElements);
  });

  it('reads padding lanes with non-zero weights, and the layer program\'s answer does not change', () => {
    const [p] = byName('extreme program: weights on a padding lane');
    const L = c.lanes;
    const d2 = p!.program.layers[1]!;
    const words = p!.program.weightWords.slice(d2.wBase, d2.wBase + d2.og * d2.wOgStride);
    expect(words.every((w) => Array.from({ length: L }, (_, r) => w[r * L + L - 1]).every((v) => v !== 0))).toBe(true);
    const plain = { ...p!.program, weightWords: p!.program.weightWords.map((w, k) => (k >= d2.wBase && k < d2.wBase + words.length ? w.map((v, i) => (i % L === L - 1 ? 0 : v)) : w)) };
    for (const x of p!.inputs) expect(runProgram(p!.program, x).output).toEqual(runProgram(plain, x).output);
  });

  it('covers every rounding mode and shifts up to the field maximum, with parameters inside their fields', () => {
    const req = byName('extreme program: requantizer ends');
    const modes = new Set(req.flatMap((x) => x.program.layers.map((d) => d.rounding)));
    expect(modes.size).toBe(5);
    const shifts = req.flatMap((x) => x.program.layers.map((d) => d.shift));
    expect(Math.max(...shifts)).toBe(2 ** c.shiftBits - 1);
    expect(Math.min(...shifts)).toBe(0);
    const inField = (v: number, bits: number): boolean => fits(BigInt(v), shape(bits, true));
    for (const x of req) {
      for (const w of x.program.paramWords) {
        for (const q of w) {
          expect(inField(q.normMul, c.normMulBits) && inField(q.normOff, c.normOffBits) && inField(q.scaleMul, c.scaleMulBits) && inField(q.scaleOff, c.scaleOffBits) && inField(q.prelu, c.preluBits)).toBe(true);
        }
      }
    }
  });
});
