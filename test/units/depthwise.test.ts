// Depthwise engine: configuration rules, the stream format, exact sum widths,
// property co-simulation against src/ref's depthwiseConv2dAccumulate
// (Verilator always ready and under backpressure, Icarus on the first image),
// exact cycle counts, lint of a large configuration, and ACEv2 inventory x
// handshakes against the analytic tally.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { accumulatorShape, fits, maxOf, minOf, rangeOf, shape } from '../../src/arith/index.ts';
import { DEFAULT_COST_TABLE, tallyFromInventory, tallyWorkloads } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { writeDesign } from '../../hdl-gen/write/index.ts';
import {
  depthwise,
  depthwiseConfig,
  depthwiseCycles,
  depthwiseGenerator,
  depthwiseGeometry,
  depthwiseInventory,
  lastOutputPosition,
  packDepthwisePixel,
  packDepthwiseTap,
  readsWholeImageBeforeLastOutput,
  unpackDepthwiseOutput,
} from '../../hdl-gen/units/depthwise/index.ts';
import type { DepthwiseConfigInput } from '../../hdl-gen/units/depthwise/index.ts';
import { checkUnit } from '../../sim/check/index.ts';
import type { CheckUnitResult } from '../../sim/check/index.ts';
import { run } from '../lint/tools.ts';
import { depthwiseCase } from '../../sim/units/index.ts';

const quiet = { log: (): void => {} };
const SEED = Number(process.env.PIKEHDL_SEED ?? 0xd3f);
/** PIKEHDL_FUZZ=long: four times the configurations and images. */
const SCALE = process.env.PIKEHDL_FUZZ === 'long' ? 4 : 1;
const runs: CheckUnitResult[] = [];

afterAll(() => {
  if (runs.length === 0) return;
  const inputs = runs.reduce((s, r) => s + r.inHandshakes, 0);
  const compared = runs.reduce((s, r) => s + r.compared, 0);
  process.stdout.write(
    `depthwise co-simulation: ${runs.length} configs, ${inputs} input transactions in each of 3 Verilator runs ` +
      `(ready + 2 backpressure seeds), ${compared} output pixels compared (Icarus prefix included)\n`,
  );
});

async function cosim(raw: DepthwiseConfigInput, seed: number, randomImages: number): Promise<CheckUnitResult> {
  const dc = depthwiseCase(raw, seed, randomImages);
  const r = await checkUnit(emitDesign(depthwise(dc.config)), dc.inputs, dc.expected, {
    describe: `depthwise ${JSON.stringify(raw)} seed ${seed}`,
    backpressureSeeds: [seed, seed + 1],
    icarusSubset: dc.firstImage,
    build: quiet,
  });
  expect(r.runs[0]!.compared).toBe(dc.expected.length);
  expect(r.runs[1]!.compared).toBe(3 * dc.expected.length); // 2 seeds + the slow consumer
  expect(r.runs[2]!.compared).toBe(dc.firstImage.outputs);
  expect(r.inHandshakes).toBe(dc.inputs.length);
  expect(r.outHandshakes).toBe(dc.expected.length);
  expect(r.cycles).toBe(depthwiseCycles(dc.config, dc.images, dc.weightSets));
  runs.push(r);
  return r;
}

describe('depthwise configuration', () => {
  it('fills defaults, padding (kernel - 1) / 2', () => {
    expect(depthwiseConfig.parse({})).toEqual({
      name: 'depthwise', channels: 4, kernel: 3, stride: 1, padding: 1, width: 8, height: 8,
      weightBits: 4, weightSigned: true, activationBits: 4, activationSigned: false,
    });
    expect(depthwiseConfig.parse({ kernel: 5 }).padding).toBe(2);
    expect(depthwiseConfig.parse({ kernel: 4 }).padding).toBe(1);
  });

  it('names the field, the value and the rule', () => {
    expect(() => depthwiseGenerator.build({ stride: 3 })).toThrow('unit depthwise: config field stride = 3 is invalid: must be one of 1, 2, 4');
    expect(() => depthwiseGenerator.build({ kernel: 8 })).toThrow('config field kernel = 8 is invalid: must be an integer from 2 to 7');
    expect(() => depthwiseGenerator.build({ kernel: 3, padding: 3 })).toThrow(
      'config field padding = 3 is invalid: must be below kernel 3: a window of padding alone has no input',
    );
    expect(() => depthwiseGenerator.build({ kernel: 5, padding: 0, width: 4 })).toThrow(
      'config field width = 4 is invalid: must be at least 5: a 5x5 window with padding 0 does not fit',
    );
    expect(() => depthwiseGenerator.build({ channels: 65 })).toThrow('config field channels = 65 is invalid: must be an integer from 1 to 64');
    expect(() => depthwiseGenerator.build({ heigth: 3 })).toThrow('config field heigth is unknown');
  });
});

describe('depthwise stream format and geometry', () => {
  it('puts the mode bit above the wider payload; channel 0 lowest', () => {
    const c = depthwiseConfig.parse({ channels: 3, weightBits: 5, activationBits: 2, activationSigned: true });
    const g = depthwiseGeometry(c);
    expect(g.payloadBits).toBe(15);
    expect(g.inWidth).toBe(16);
    expect(packDepthwisePixel(c, [1n, -1n, -2n])).toBe(0b10_11_01n);
    expect(packDepthwiseTap(c, [1n, -1n, 0n])).toBe((1n << 15n) | (0b11111n << 5n) | 1n);
    const word = (BigInt.asUintN(g.acc.width, -5n) << BigInt(2 * g.acc.width)) | 7n;
    expect(unpackDepthwiseOutput(c, word)).toEqual([7n, 0n, -5n]);
  });

  it('the engine drains every pixel before the last output whenever there is padding or the stride divides', () => {
    for (const [raw, whole] of [
      [{ kernel: 3, stride: 2, padding: 1, width: 8, height: 8 }, true],
      [{ kernel: 3, stride: 2, padding: 0, width: 8, height: 7 }, false],
      [{ kernel: 3, stride: 2, padding: 0, width: 7, height: 7 }, true],
      [{ kernel: 5, stride: 1, padding: 0, width: 6, height: 6 }, true],
    ] as const) {
      expect(readsWholeImageBeforeLastOutput(depthwiseConfig.parse(raw))).toBe(whole);
    }
    // 8x8, k3 s2 p1: padded 10 wide; the last output window ends at (8, 8).
    expect(lastOutputPosition(depthwiseConfig.parse({ kernel: 3, stride: 2, width: 8, height: 8 }))).toBe(8 * 10 + 8);
  });

  it('sums are exactly accumulatorShape(weight, activation, k^2) wide and the corner images reach the ends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 5, 7),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (kernel, wb, ws, ab, as) => {
          const raw = { channels: 2, kernel, width: kernel, height: kernel, weightBits: wb, weightSigned: ws, activationBits: ab, activationSigned: as };
          const dc = depthwiseCase(raw, 1, 0);
          const g = depthwiseGeometry(dc.config);
          expect(g.acc).toEqual(accumulatorShape(rangeOf(shape(wb, ws)), rangeOf(shape(ab, as)), kernel * kernel));
          const values = dc.expected.flatMap((w) => unpackDepthwiseOutput(dc.config, w));
          const lo = values.reduce((a, b) => (a < b ? a : b));
          const hi = values.reduce((a, b) => (a > b ? a : b));
          expect(lo >= minOf(g.acc) && hi <= maxOf(g.acc)).toBe(true);
          if (g.acc.width > 1) {
            const narrower = shape(g.acc.width - 1, g.acc.signed);
            expect(fits(lo, narrower) && fits(hi, narrower)).toBe(false);
            // Every channel, not only one: each channel's adder tree needs its top bit exercised
            // (mutation testing found even channels that never left the narrower range).
            for (let ch = 0; ch < dc.config.channels; ch++) {
              const mine = values.filter((_, i) => i % dc.config.channels === ch);
              expect(mine.every((v) => fits(v, narrower)), `channel ${ch} never needs bit ${g.acc.width - 1}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 200, seed: SEED },
    );
  });
});

describe('depthwise co-simulation (Verilator always ready + backpressure, Icarus first image)', () => {
  const fixed: [string, DepthwiseConfigInput, number][] = [
    ['3x3 stride 1 padding 1, 4 ch, u4 x s4, 7x6', { channels: 4, kernel: 3, stride: 1, width: 7, height: 6 }, 8],
    ['3x3 stride 2 padding 1, 3 ch, s8 x s8, 9x8', { channels: 3, kernel: 3, stride: 2, width: 9, height: 8, weightBits: 8, activationBits: 8, activationSigned: true }, 8],
    ['5x5 stride 1 padding 2, 2 ch, u8 x s8, 6x7', { channels: 2, kernel: 5, stride: 1, width: 6, height: 7, weightBits: 8, activationBits: 8 }, 8],
    ['5x5 stride 2 padding 2, 2 ch, u1 x u1 weights, 8x8', { channels: 2, kernel: 5, stride: 2, width: 8, height: 8, weightBits: 1, weightSigned: false, activationBits: 1 }, 8],
    ['3x3 stride 1 no padding, 1 ch, 3x3 (one output)', { channels: 1, kernel: 3, stride: 1, padding: 0, width: 3, height: 3 }, 30],
    ['5x5 stride 2 no padding, 2 ch, 9x7', { channels: 2, kernel: 5, stride: 2, padding: 0, width: 9, height: 7, activationSigned: true }, 8],
    ['3x3 stride 1, 40 ch of u8 (a pixel is wider than one 256-bit slice)', { channels: 40, kernel: 3, width: 5, height: 4, weightBits: 8, activationBits: 8 }, 1],
  ];
  for (const [title, raw, images] of fixed) {
    it(title, async () => {
      expect(readsWholeImageBeforeLastOutput(depthwiseConfig.parse(raw))).toBe(true);
      await cosim(raw, SEED, images * SCALE);
    });
  }

  it('random configurations (fast-check, seeded)', async () => {
    const config = fc
      .record({
        channels: fc.integer({ min: 1, max: 4 }),
        kernel: fc.constantFrom(3, 5, 3, 5, 2, 4, 7),
        stride: fc.constantFrom(1, 2, 1, 2, 4),
        pad: fc.integer({ min: 0, max: 6 }),
        width: fc.integer({ min: 1, max: 11 }),
        height: fc.integer({ min: 1, max: 9 }),
        weightBits: fc.integer({ min: 1, max: 8 }),
        weightSigned: fc.boolean(),
        activationBits: fc.integer({ min: 1, max: 8 }),
        activationSigned: fc.boolean(),
      })
      .map(({ pad, kernel, ...rest }) => {
        const padding = pad % kernel;
        const min = Math.max(1, kernel - 2 * padding);
        return { ...rest, kernel, padding, width: Math.max(rest.width, min), height: Math.max(rest.height, min) } as DepthwiseConfigInput;
      })
      // A stream must not end with an image whose trailing pixels no window uses (see transaction.ts).
      .filter((raw) => readsWholeImageBeforeLastOutput(depthwiseConfig.parse(raw)));
    await fc.assert(
      fc.asyncProperty(config, fc.integer({ min: 1, max: 1_000_000 }), async (raw, seed) => {
        await cosim(raw, seed, 4 * SCALE);
      }),
      { numRuns: 6 * SCALE, seed: SEED, endOnFailure: true },
    );
  });
});

describe('depthwise at MobileNet scale', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-dw-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a 16-channel 5x5 stride-2 engine for 112x112 images generates and is lint-clean in Verilator -Wall', async () => {
    const d = emitDesign(depthwiseGenerator.build({ channels: 16, kernel: 5, stride: 2, width: 112, height: 112, weightBits: 8, activationBits: 8 }));
    const { dir } = await writeDesign(d, path.join(work, 'dw'));
    const r = await run('verilator', ['--lint-only', '-Wall', '--top-module', d.top, ...d.sources.map((s) => s.name)], dir);
    expect(r.output.trim()).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('depthwise ACEv2: inventory x handshakes = analytic tally', () => {
  it('the whole tally (every operation, width and count) is equal', async () => {
    const raw: DepthwiseConfigInput = { channels: 3, kernel: 3, stride: 2, width: 6, height: 5, weightBits: 4, activationBits: 3 };
    const r = await cosim(raw, SEED + 9, 1);
    const c = depthwiseConfig.parse(raw);
    const g = depthwiseGeometry(c);
    const hw = tallyFromInventory(depthwiseInventory(c), r.outHandshakes, DEFAULT_COST_TABLE);
    const analytic = tallyWorkloads(c.name, [
      { kind: 'dot', outputs: c.channels * r.outHandshakes, depth: g.taps, weight: g.weight, activation: g.activation },
    ], RECIPES.pikelpn);
    expect(hw).toEqual(analytic);
    // 5 images (4 corner images, 1 random) of 3x3 outputs, 3 channels, 9 taps each, 4 x 3 bits.
    expect(hw.macs).toBe(5 * 9 * 3 * 9);
    expect(hw.ace).toBe(hw.macs * 12);
  });
});
