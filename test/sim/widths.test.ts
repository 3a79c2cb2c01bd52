import { describe, expect, it } from 'vitest';
import { buildSimulator, coSimulate, packValues, runIcarus, startSimulator, unpackValues } from '../../sim/index.ts';
import type { SimFrame } from '../../sim/index.ts';
import {
  fixtureDesign,
  mask,
  packWithDirtyPadding,
  seededValues,
  wideMixRef,
  widthProbeDesign,
  widthProbeRef,
} from './helpers.ts';

const quiet = (): void => undefined;

// Each width exercises one Verilator port representation: CData (1, 8),
// SData (9), IData (32), QData (33, 64) and VlWide (65, 300).
describe.each([1, 8, 9, 32, 33, 64, 65, 300])('width_probe at W = %i', (w) => {
  it('is bit-exact on random values, all-ones, the top bit and dirty padding, with and without backpressure', async () => {
    const built = await buildSimulator(widthProbeDesign(w), { log: quiet });
    const corner = [0n, mask(w), 1n << BigInt(w - 1), 1n, mask(w) >> 1n];
    const values = [...corner, ...seededValues(w, 2000, w)];
    const expected = packValues(values.map((x) => widthProbeRef(x, w)), w);
    const frames: SimFrame[] = [
      { inputs: packWithDirtyPadding(values, w), count: values.length, expectOutputs: values.length },
      {
        inputs: packWithDirtyPadding(values, w),
        count: values.length,
        expectOutputs: values.length,
        backpressure: { seed: w, inValidPct: 60, outReadyPct: 45 },
      },
    ];
    const r = await coSimulate({ built, frames, expected: [expected, expected], describe: `width_probe W=${w}` });
    expect(r.compared).toBe(2 * values.length);
  });
});

describe('wide_mix (300-bit in, 130-bit out)', () => {
  it('is bit-exact against a BigInt reference', async () => {
    const built = await buildSimulator(fixtureDesign('wide_mix', 300, 130), { log: quiet });
    const values = [mask(300), 0n, ...seededValues(300, 3000, 300)];
    const sim = await startSimulator(built);
    const r = await sim.run({
      inputs: packWithDirtyPadding(values, 300),
      count: values.length,
      expectOutputs: values.length,
      backpressure: { seed: 3, inValidPct: 90, outReadyPct: 50 },
    });
    await sim.close();
    expect(r.outputs.length).toBe(values.length * 17);
    expect(unpackValues(r.outputs, values.length, 130)).toEqual(values.map(wideMixRef));
  });

  it('Icarus agrees on 200 wide transactions', async () => {
    const values = [mask(300), ...seededValues(301, 199, 300)];
    const r = await runIcarus({ ...fixtureDesign('wide_mix', 300, 130), inputs: packValues(values, 300), count: 200, expectOutputs: 200 });
    expect(unpackValues(r.outputs, 200, 130)).toEqual(values.map(wideMixRef));
  });
});
