// The two traffic floors (src/accel/minimumTraffic.ts), checked against counts made another way:
// tensor sizes from the network's own shape walk, not from the program's descriptors (whose row
// bands must add up to the same tensors), and the weights from the network's arrays.
import { describe, expect, it } from 'vitest';
import { axiTraffic, minimumTraffic } from '../../src/accel/index.ts';
import { paramLaneWidth } from '../../src/accel/layout.ts';
import { walkIntNetwork } from '../../src/model/index.ts';
import { setupAccelerator } from '../../src/cli/accel/accelSetup.ts';

describe('minimum external traffic', () => {
  const fits = setupAccelerator('mnist_tiny', ['memory=axi']);
  const spilled = setupAccelerator('mnist_tiny', ['memory=axi', 'actAddrBits=9']);
  const net = fits.model.net;
  const { shapes } = walkIntNetwork(net);
  const elements = (i: number): number => {
    const o = shapes[i]!.output;
    return o.height * o.width * o.channels;
  };
  const weighted = net.layers.flatMap((l) => (l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense' ? [l] : []));
  const input = net.input.tensor;
  const inShape = shapes[0]!.input;
  const inElements = inShape.height * inShape.width * inShape.channels;
  const last = net.layers.length - 1;

  it('on chip: weights, parameters, input and output once; the values the report and the AXI summary printed before they shared one definition', () => {
    const m = minimumTraffic(fits.program, net);
    const c = fits.program.config;
    const weightBits = weighted.reduce((t, l) => t + l.weights.length * l.weightBits, 0);
    const outChannels = net.layers.reduce((t, l, i) => t + ('weights' in l ? shapes[i]!.output.channels : 0), 0);
    const paramBits = outChannels * paramLaneWidth(c);
    expect(m.intermediatesLeaveChip).toBe(false);
    expect(m.networkBytes).toBe((weightBits + paramBits + inElements * input.bits + elements(last) * net.layers[last]!.output.bits) / 8);
    const weightCount = weighted.reduce((t, l) => t + l.weights.length, 0);
    expect(m.elementBytes).toBe(Math.ceil((weightCount * c.weightBits) / 8) + Math.ceil(((inElements + elements(last)) * c.actBits) / 8));
    expect([m.networkBytes, m.elementBytes]).toEqual([3463.5, 3454]);
  });

  it('spilled: each intermediate tensor written and read once more, its size from the shape walk (the row bands add up to it)', () => {
    const a = minimumTraffic(fits.program, net);
    const b = minimumTraffic(spilled.program, net);
    expect(b.intermediatesLeaveChip).toBe(true);
    const inter = net.layers.slice(0, -1).map((l, i) => ({ n: elements(i), bits: l.output.bits }));
    expect(b.networkBytes - a.networkBytes).toBe(inter.reduce((t, x) => t + (2 * x.n * x.bits) / 8, 0));
    const c = spilled.program.config;
    const acts = inElements + elements(last) + 2 * inter.reduce((t, x) => t + x.n, 0);
    expect(b.elementBytes - Math.ceil((weighted.reduce((t, l) => t + l.weights.length, 0) * c.weightBits) / 8)).toBe(Math.ceil((acts * c.actBits) / 8));
    // The design moves at least either floor.
    const t = axiTraffic(spilled.program);
    expect(t.bytesRead + t.bytesWritten).toBeGreaterThanOrEqual(b.elementBytes);
    expect(t.bytesRead + t.bytesWritten).toBeGreaterThanOrEqual(b.networkBytes);
  });
});
