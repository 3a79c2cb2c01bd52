// cosim --model predicts the accelerator's counter beats from the layer descriptors
// (expectedCounterValues) instead of interpreting the whole program; here the two agree
// on every counter of mnist_tiny and the three reduced synthetic networks at 4 and 16 lanes
// (stems, depthwise, pointwise, residual adds, padded max pool, global pool, dense).
import { describe, expect, it } from 'vitest';
import { compileAccel, fitAccelConfig, runProgram } from '../../src/accel/index.ts';
import { resolveModel, resolveSynthetic } from '../../src/cli/accel/resolveModel.ts';
import { beatsToValues, expectedBeats, expectedCounterValues } from '../../sim/accel/expectedBeats.ts';

const nets = () => [
  resolveModel('mnist_tiny').net,
  ...['mobilenet_v1_0.25_32', 'mobilenet_v2_0.35_32', 'resnet18_0.125_32'].map((n) => resolveSynthetic(n).net),
];

describe('expectedCounterValues', () => {
  it('equals the interpreter-counted counters of every layer', () => {
    let compared = 0;
    for (const net of nets()) {
      for (const lanes of [4, 16]) {
        const p = compileAccel(net, fitAccelConfig(net, { lanes }));
        const input = new Int32Array(p.input.height * p.input.width * p.input.channels).fill(p.input.max);
        const n = p.output.height * p.output.width * p.output.channels;
        const fromRun = beatsToValues(expectedBeats(p, runProgram(p, input))).slice(n + 1);
        const fromDescriptors = expectedCounterValues(p);
        expect(fromDescriptors).toEqual(fromRun);
        compared += fromRun.length;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('notices a descriptor whose MAC count is off (the comparison can fail)', () => {
    const net = resolveModel('mnist_tiny').net;
    const p = compileAccel(net, fitAccelConfig(net, { lanes: 4 }));
    const broken = { ...p, layers: p.layers.map((d, i) => (i === 1 ? { ...d, macs: d.macs + 1 } : d)) };
    const n = p.output.height * p.output.width * p.output.channels;
    const fromRun = beatsToValues(expectedBeats(p, runProgram(p, new Int32Array(p.input.height * p.input.width * p.input.channels)))).slice(n + 1);
    expect(expectedCounterValues(broken)).not.toEqual(fromRun);
  });
});
