// Export then import gives the same network back, exactly, and ONNX Runtime
// running the exported graph agrees with runFloat on random networks.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportFloatOnnx, importOnnx } from '../../src/onnx/index.ts';
import { compareWithOrt, ortSession, randomInput } from './ort.ts';
import { randomFloatNet } from './randomNet.ts';

const SEED = Number(process.env.PIKEHDL_SEED ?? 20261201);
const long = process.env.PIKEHDL_FUZZ === 'long';

describe('import(export(net)) == net', () => {
  it('FLOAT tensors: exact for networks whose parameters are fp32 values', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const net = randomFloatNet(seed, { fp32: true });
        const e = exportFloatOnnx(net);
        expect(e.rounded).toBe(0);
        const back = importOnnx(e.bytes, `random ${seed}`).float;
        expect(back).toStrictEqual(net);
        // Byte-identical JSON too (field order included).
        expect(JSON.stringify(back)).toBe(JSON.stringify(net));
        checked++;
      }),
      { seed: SEED, numRuns: long ? 2000 : 150 },
    );
    expect(checked).toBeGreaterThan(0);
  });

  it('DOUBLE tensors (--float64): exact for any float64 parameters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const net = randomFloatNet(seed, { fp32: false });
        const back = importOnnx(exportFloatOnnx(net, { float64: true }).bytes, `random ${seed}`).float;
        expect(JSON.stringify(back)).toBe(JSON.stringify(net));
      }),
      { seed: SEED + 1, numRuns: long ? 1000 : 60 },
    );
  });

  it('the check can fail: FLOAT export of float64 parameters does not round-trip, and says so', () => {
    const net = randomFloatNet(7, { fp32: false });
    const e = exportFloatOnnx(net);
    expect(e.rounded).toBeGreaterThan(0);
    expect(isDeepStrictEqual(importOnnx(e.bytes, 'x').float, net)).toBe(false);
  });
});

describe('ONNX Runtime runs exported random networks as runFloat does', () => {
  it('within 1e-4 of the output scale (float summation order)', async () => {
    let compared = 0;
    let worst = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const net = randomFloatNet(seed, { fp32: true });
        const s = await ortSession(exportFloatOnnx(net).bytes);
        const r = await compareWithOrt(net, s, randomInput(net.input.channels * net.input.height * net.input.width, seed));
        compared += r.compared;
        worst = Math.max(worst, r.relError);
        expect(r.relError, `seed ${seed}`).toBeLessThan(1e-4);
      }),
      { seed: SEED + 2, numRuns: long ? 1000 : 80 },
    );
    expect(compared).toBeGreaterThan(0);
  });
});
