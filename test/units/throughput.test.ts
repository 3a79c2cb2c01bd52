// Throughput: with input always valid and output always ready, each unit
// takes exactly the cycles its timing promise states (latency + one
// transaction per cycle), measured by the harness, over growing batches and
// in the harness's bench mode (thousands of transactions without host round
// trips). Outputs of the frame runs are compared too, so a fast wrong design
// cannot pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { MAC_ARRAY_LATENCY, macArray, macArrayCycles } from '../../hdl-gen/units/macArray/index.ts';
import type { MacArrayConfigInput } from '../../hdl-gen/units/macArray/index.ts';
import {
  DEPTHWISE_LATENCY,
  depthwise,
  depthwiseCycles,
  depthwiseGeometry,
  lastOutputPosition,
} from '../../hdl-gen/units/depthwise/index.ts';
import type { DepthwiseConfigInput } from '../../hdl-gen/units/depthwise/index.ts';
import { toSimDesign } from '../../sim/check/index.ts';
import { buildSimulator, packValues, startSimulator, unpackValues } from '../../sim/index.ts';
import type { BuiltSimulator, FrameResult, SimFrame } from '../../sim/index.ts';
import { depthwiseCase, macCase } from '../../sim/units/index.ts';

const quiet = { log: (): void => {} };

/** Runs one frame in a fresh harness process: the promises count from reset. */
async function fresh<T>(built: BuiltSimulator, go: (sim: Awaited<ReturnType<typeof startSimulator>>) => Promise<T>): Promise<T> {
  const sim = await startSimulator(built);
  try {
    const r = await go(sim);
    await sim.close();
    return r;
  } finally {
    sim.kill();
  }
}

async function frameRun(built: BuiltSimulator, inputs: bigint[], expected: bigint[]): Promise<number> {
  const frame: SimFrame = { inputs: packValues(inputs, built.inWidth), count: inputs.length, expectOutputs: expected.length };
  const r: FrameResult = await fresh(built, (sim) => sim.run(frame));
  expect(r.inHandshakes).toBe(inputs.length);
  expect(unpackValues(r.outputs, r.count, built.outWidth)).toEqual(expected);
  return r.cycles;
}

const macConfigs: [string, MacArrayConfigInput][] = [
  ['1x1 binary, depth 1', { rows: 1, cols: 1, depth: 1, weightKind: 'binary' }],
  ['4x4 ternary, depth 16', { rows: 4, cols: 4, depth: 16, weightKind: 'ternary' }],
  ['16x16 s8 x s8, depth 8', { rows: 16, cols: 16, depth: 8, weightBits: 8, activationBits: 8, activationSigned: true }],
];

for (const [title, raw] of macConfigs) {
  describe(`macArray ${title}: one MAC per PE per cycle`, () => {
    const probe = macCase(raw, 1, 1, false);
    const c = probe.config;
    const design = emitDesign(macArray(c));
    let built: BuiltSimulator;
    beforeAll(async () => {
      built = await buildSimulator(toSimDesign(design, title), quiet);
    });

    it(`takes tiles x depth + ${MAC_ARRAY_LATENCY} cycles for 1, 7 and 150 tiles`, async () => {
      for (const tiles of [1, 7, 150]) {
        const mc = macCase(raw, tiles, tiles, false);
        const cycles = await frameRun(built, mc.inputs, mc.expected);
        expect(cycles, `${tiles} tiles`).toBe(macArrayCycles(c, tiles));
      }
    });

    it('sustains it over 2000 tiles in bench mode: every PE does a MAC in every cycle after the fill', async () => {
      const mc = macCase(raw, 3, 20, false);
      const repeats = 100;
      const r = await fresh(built, (sim) => sim.bench({ inputs: packValues(mc.inputs, built.inWidth), count: mc.inputs.length, expectOutputs: mc.tiles }, repeats));
      const steps = repeats * mc.inputs.length;
      expect(r.inHandshakes).toBe(steps);
      expect(r.outHandshakes).toBe(repeats * mc.tiles);
      expect(r.cycles).toBe(steps + MAC_ARRAY_LATENCY);
      const macs = steps * c.rows * c.cols;
      expect(macs / (r.cycles - MAC_ARRAY_LATENCY) / (c.rows * c.cols)).toBe(1);
    });
  });
}

const dwConfigs: [string, DepthwiseConfigInput][] = [
  ['3x3 stride 1 padding 1, 4 ch, 8x8', { channels: 4, kernel: 3, stride: 1, width: 8, height: 8 }],
  ['3x3 stride 2 padding 1, 4 ch, 8x8', { channels: 4, kernel: 3, stride: 2, width: 8, height: 8 }],
  ['5x5 stride 1 padding 2, 2 ch, 7x6', { channels: 2, kernel: 5, stride: 1, width: 7, height: 6 }],
  ['5x5 stride 2 padding 2, 2 ch, 9x9', { channels: 2, kernel: 5, stride: 2, width: 9, height: 9 }],
];

for (const [title, raw] of dwConfigs) {
  describe(`depthwise ${title}: one padded raster position per cycle`, () => {
    const probe = depthwiseCase(raw, 1, 1, false);
    const c = probe.config;
    const g = depthwiseGeometry(c);
    const design = emitDesign(depthwise(c));
    let built: BuiltSimulator;
    beforeAll(async () => {
      built = await buildSimulator(toSimDesign(design, title), quiet);
    });

    it(`takes taps + raster positions up to the last output + ${DEPTHWISE_LATENCY} cycles, and exactly one padded image more per extra image`, async () => {
      const measured: number[] = [];
      for (const images of [1, 2, 5]) {
        const dc = depthwiseCase(raw, images, images, false);
        const cycles = await frameRun(built, dc.inputs, dc.expected);
        expect(cycles, `${images} images`).toBe(depthwiseCycles(c, images));
        measured.push(cycles);
      }
      expect(measured[0]).toBe(g.taps + lastOutputPosition(c) + 1 + DEPTHWISE_LATENCY);
      expect(measured[1]! - measured[0]!).toBe(g.paddedWidth * g.paddedHeight);
      expect(measured[2]! - measured[1]!).toBe(3 * g.paddedWidth * g.paddedHeight);
    });

    it('sustains it over 40 images with weight reloads in bench mode', async () => {
      const dc = depthwiseCase(raw, 9, 4, false);
      const repeats = 10;
      const r = await fresh(built, (sim) => sim.bench({ inputs: packValues(dc.inputs, built.inWidth), count: dc.inputs.length, expectOutputs: dc.expected.length }, repeats));
      expect(r.inHandshakes).toBe(repeats * dc.inputs.length);
      expect(r.outHandshakes).toBe(repeats * dc.expected.length);
      // Each repeat reloads the weights at an image boundary: one cycle per tap.
      expect(r.cycles).toBe(depthwiseCycles(c, repeats * 4, repeats));
    });
  });
}
