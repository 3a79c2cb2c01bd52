// The generated accelerator for the trained mnist_tiny (pikelpn, fitted configuration), Verilated
// once: held-out digits through the RTL, every logit equal to runInt, every beat (class, cycles,
// per-layer cycles, MACs and output elements) equal to the layer program's prediction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccel, fitAccelConfig, runProgram, type AccelProgram } from '../../src/accel/index.ts';
import { runInt } from '../../src/ref/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import { acceleratorFrame, buildAccelerator, decodeFrame, runInferences, startSimulator, type AccelInference } from '../../sim/accel/acceleratorSim.ts';
import { beatsToValues, expectedBeats } from '../../sim/accel/expectedBeats.ts';
import type { Simulator } from '../../sim/index.ts';
import { mnistDigits, mnistTinyInt } from './mnistModel.ts';

let net: IntNetwork;
let program: AccelProgram;
let sim: Simulator;

beforeAll(async () => {
  net = mnistTinyInt();
  program = compileAccel(net, fitAccelConfig(net));
  sim = await startSimulator(await buildAccelerator(program), { timeoutMs: 120_000 });
}, 300_000);

afterAll(async () => {
  await sim?.close();
});

async function infer(inputs: readonly Int32Array[]): Promise<AccelInference[]> {
  const results: AccelInference[] = [];
  await runInferences(sim, program, inputs, (i, r) => void (results[i] = r));
  return results;
}

describe('accelerator RTL (mnist_tiny, Verilator)', () => {
  it('is bit-exact with runInt and the layer program on held-out digits', async () => {
    const { inputs, labels } = mnistDigits(net, 8);
    const results = await infer(inputs);
    let compared = 0;
    let correctRtl = 0;
    let correctRef = 0;
    results.forEach((r, i) => {
      const ref = runInt(net, inputs[i]!).output;
      expect(r.beats.output).toEqual(Array.from(ref));
      compared += ref.length;
      const expected = beatsToValues(expectedBeats(program, runProgram(program, inputs[i]!)));
      const got = beatsToValues(r.beats);
      expect(got).toEqual(expected);
      compared += got.length;
      if (r.beats.predicted === labels[i]) correctRtl++;
      let best = 0;
      for (let j = 1; j < ref.length; j++) if (ref[j]! > ref[best]!) best = j;
      if (best === labels[i]) correctRef++;
    });
    expect(compared).toBeGreaterThan(0);
    expect(correctRtl).toBe(correctRef);
    // The activity counters add up to the network's MACs and output elements.
    const macs = results[0]!.beats.layers.reduce((s, l) => s + l.macs, 0);
    expect(macs).toBe(program.layers.reduce((s, l) => s + l.macs, 0));
  });

  it('holds its streams under random backpressure (stalled outputs stay valid and unchanged)', async () => {
    const { inputs } = mnistDigits(net, 3);
    for (const [i, x] of inputs.entries()) {
      const frame = { ...acceleratorFrame(program, x), backpressure: { seed: 100 + i, inValidPct: 60, outReadyPct: 40 } };
      const r = decodeFrame(program, await sim.run(frame));
      expect(beatsToValues(r.beats)).toEqual(beatsToValues(expectedBeats(program, runProgram(program, x))));
    }
  });

  it('a wrong expectation is caught (deliberately broken program parameter)', async () => {
    const { inputs } = mnistDigits(net, 2);
    const broken: AccelProgram = { ...program, layers: program.layers.map((l, i) => (i === program.layers.length - 1 ? { ...l, shift: l.shift + 1 } : l)) };
    const results = await infer(inputs);
    const differs = results.some((r, i) => {
      const e = expectedBeats(broken, runProgram(broken, inputs[i]!)).output;
      return e.some((v, j) => v !== r.beats.output[j]);
    });
    expect(differs).toBe(true);
  });
});
