// The accelerator's mutation workload and mutant sample, without Verilator
// (the mutation run itself is a command: a cold schemata build alone exceeds
// CI's budget, docs/verification.md): the networks compile for the one
// configuration, every frame has its expected beats, and the sample of the
// loadable accelerator's sites is large and spread over the operators.
import { describe, expect, it } from 'vitest';
import { generateLoadableAccelerator } from '../../hdl-gen/accel/index.ts';
import { selectMutants } from '../../hdl-gen/mutate/index.ts';
import { ACCEL_MUTATION_CONFIG, accelPropertyFrames } from '../../src/verify/accelWorkload.ts';
import { DEFAULT_ACCEL_BUDGET } from '../../src/verify/mutateAccelerator.ts';
import { enumerateMutations } from '../../src/verify/schemataDesign.ts';

describe('accelerator mutation workload', () => {
  it('loads each network, then its inferences, each frame with the layer program\'s expected beats', () => {
    const f = accelPropertyFrames(ACCEL_MUTATION_CONFIG, { randomNetworks: 6, maxPoolNetworks: 2, deepNetworks: 2, corners: true, digits: 1, seed: 11 });
    // mnist_tiny, the drawn networks the compiler takes, 3 corner networks and the wide-output one.
    expect(f.networks).toBeGreaterThanOrEqual(1 + 4 + 4);
    expect(f.frames).toHaveLength(f.networks + f.inferences);
    expect(f.names[0]).toBe('mnist_tiny: load');
    expect(f.shortLaunchFrames).toBe(2); // the all-ones launch: mnist_tiny's load and its digit
    f.frames.forEach((frame, k) => {
      const load = f.names[k]!.endsWith(': load');
      expect(frame.expectOutputs === 0, f.names[k]).toBe(load);
      expect(f.expected[k]!.length, f.names[k]).toBe(frame.expectOutputs * Math.ceil(ACCEL_MUTATION_CONFIG.outBits / 8));
    });
    expect(f.counted.every((c) => c)).toBe(true);
    // The wide-output network: 16x16x20 elements, the class, the total cycles and 3 counters for its one layer.
    const wide = f.names.findIndex((n) => n.startsWith('wide-output network: input'));
    expect(f.frames[wide]!.expectOutputs).toBe(16 * 16 * 20 + 2 + 3);
  });

  it('samples at least 40 of the loadable accelerator\'s sites over every operator it has', () => {
    const all = enumerateMutations(generateLoadableAccelerator(ACCEL_MUTATION_CONFIG));
    expect(all.length).toBeGreaterThan(1000);
    const chosen = selectMutants(all, DEFAULT_ACCEL_BUDGET, 1);
    expect(chosen.length).toBeGreaterThanOrEqual(40);
    const operators = new Set(all.map((m) => m.operator));
    expect(new Set(chosen.map((id) => all[id - 1]!.operator))).toEqual(operators);
  });
});
