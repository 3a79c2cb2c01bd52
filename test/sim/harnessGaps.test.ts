// Two harness gaps that let wrong RTL pass, each shown closed by a design
// that is broken on purpose. Both fixtures passed the previous harness
// (checked when the gaps were closed): early_capture every run, always-ready
// and backpressure alike; extra_output the always-ready run and Icarus.
import { describe, expect, it } from 'vitest';
import { buildSimulator, compareOutputs, packValues, runIcarus, SimError, startSimulator } from '../../sim/index.ts';
import type { SimFrame } from '../../sim/index.ts';
import { fixtureDesign } from './helpers.ts';

const quiet = (): void => undefined;
const N = 400;
const values = Array.from({ length: N }, (_, i) => BigInt((i * 37 + 11) & 0xff));
const packed = packValues(values, 8);
const frame = (extra: Partial<SimFrame> = {}): SimFrame => ({ inputs: packed, count: N, expectOutputs: N, ...extra });

describe('random bits on in_data while in_valid is low', () => {
  it('catches a design that captures in_data without looking at in_valid (early_capture)', async () => {
    const built = await buildSimulator(fixtureDesign('early_capture', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    // Always valid: the cycle before each handshake holds the same data, so it passes.
    const ready = await sim.run(frame());
    const ok = compareOutputs(packed, ready.outputs, N, 8, 8);
    expect(ok.compared).toBe(N);
    expect(ok.mismatchCount).toBe(0);
    // With gaps, the cycle before a handshake shows random bits now, no longer the pending data.
    const gaps = await sim.run(frame({ backpressure: { seed: 3, inValidPct: 60, outReadyPct: 100 } }));
    const bad = compareOutputs(packed, gaps.outputs, N, 8, 8);
    expect(bad.compared).toBe(N);
    expect(bad.mismatchCount).toBeGreaterThan(N / 10);
    await sim.close();
  });
});

describe('the drain window after the last expected output', () => {
  it('fails the always-ready run of a design that emits one output too many (extra_output)', async () => {
    const built = await buildSimulator(fixtureDesign('extra_output', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    const e = await sim.run(frame()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SimError);
    expect((e as SimError).kind).toBe('status');
    expect((e as SimError).message).toMatch(
      /design extra_output frame 0: out_valid rose after the last expected output \(an extra output\) in the drain window after \d+ cycles; reached input transaction 400 of 400 and output 400 of 400/,
    );
    await sim.close();
    // Without a drain window (the previous behaviour) the same run passes: the window is what catches it.
    const fresh = await startSimulator(built, { timeoutMs: 30_000 });
    const blind = await fresh.run(frame({ drainCycles: 0 }));
    expect(compareOutputs(packed, blind.outputs, N, 8, 8).mismatchCount).toBe(0);
    await fresh.close();
  });

  it('fails the Icarus cross-check of the same design', async () => {
    const run = { ...fixtureDesign('extra_output', 8, 8), inputs: packed, count: 50, expectOutputs: 50 };
    await expect(runIcarus(run)).rejects.toThrow(
      /runIcarus\(extra_output\): out_valid rose in idle cycle \d+ after the last expected output \(an extra output; 50 inputs, 50 outputs taken\)/,
    );
    const blind = await runIcarus({ ...run, drainCycles: 0 });
    expect(compareOutputs(packed, blind.outputs, 50, 8, 8).mismatchCount).toBe(0);
  });

  it('rejects a drain window the header cannot carry', async () => {
    const built = await buildSimulator(fixtureDesign('extra_output', 8, 8), { log: quiet });
    const sim = await startSimulator(built);
    await expect(sim.run(frame({ drainCycles: 70_000 }))).rejects.toThrow(/drainCycles 70000 must be an integer from 0 to 65535/);
    await sim.close();
  });
});
