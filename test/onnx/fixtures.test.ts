// Real exported models (test/fixtures/onnx/make_fixtures.py: torchvision's
// MobileNetV2 and ResNet-18 topology, a MobileNetV1-style separable net, a
// classifier-head net, ResNet-18's real max-pool stem) imported and run with runFloat must match ONNX Runtime
// within 1e-4 of the output's scale: the two differ only by floating-point
// summation order and ORT's fp32 accumulation (pikehdl runs in double).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/onnx/index.ts';
import { compareWithOrt, ortSession, randomInput } from './ort.ts';

const dir = new URL('../fixtures/onnx/', import.meta.url);
const read = (f: string): Uint8Array => readFileSync(new URL(f, dir));

const FIXTURES: { file: string; layers: number; ops: string[] }[] = [
  { file: 'mobilenet_v2_w025_32.onnx', layers: 65, ops: ['conv2d', 'depthwiseConv2d', 'add', 'avgPool', 'dense'] },
  { file: 'resnet18_narrow_32.onnx', layers: 30, ops: ['conv2d', 'add', 'avgPool', 'dense'] },
  { file: 'separable_16.onnx', layers: 9, ops: ['conv2d', 'depthwiseConv2d', 'add', 'avgPool', 'dense'] },
  { file: 'separable_16_opset9.onnx', layers: 9, ops: ['conv2d', 'depthwiseConv2d', 'add', 'avgPool', 'dense'] },
  { file: 'separable_16_opset11.onnx', layers: 9, ops: ['conv2d', 'depthwiseConv2d', 'add', 'avgPool', 'dense'] },
  { file: 'heads_6.onnx', layers: 3, ops: ['conv2d', 'avgPool', 'dense'] },
  // ResNet-18's real stem: 7x7/2 conv, then MaxPool 3x3, stride 2, padding 1.
  { file: 'resnet18_maxpool_tiny.onnx', layers: 31, ops: ['conv2d', 'maxPool', 'add', 'avgPool', 'dense'] },
  { file: 'maxpool.onnx', layers: 2, ops: ['conv2d', 'maxPool'] },
];

describe('imported fixtures match ONNX Runtime', () => {
  for (const fx of FIXTURES) {
    it(fx.file, async () => {
      const bytes = read(fx.file);
      const { float: net } = importOnnx(bytes, fx.file);
      expect(net.layers).toHaveLength(fx.layers);
      for (const op of fx.ops) expect(net.layers.some((l) => l.op === op), op).toBe(true);
      const s = await ortSession(bytes);
      const n = net.input.channels * net.input.height * net.input.width;
      let compared = 0;
      let worst = 0;
      for (let seed = 1; seed <= 3; seed++) {
        const r = await compareWithOrt(net, s, randomInput(n, seed * 7919));
        compared += r.compared;
        worst = Math.max(worst, r.relError);
      }
      expect(compared).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('the check can fail: a one-element weight change in the imported network is caught', async () => {
    const bytes = read('separable_16.onnx');
    const { float: net } = importOnnx(bytes, 'separable_16.onnx');
    const broken = structuredClone(net);
    const stem = broken.layers[0]!;
    if (stem.op !== 'conv2d' || stem.weights === undefined) throw new Error('fixture changed');
    // Swap two weights: a layout mistake of the kind this test exists for.
    [stem.weights[0], stem.weights[1]] = [stem.weights[1]!, stem.weights[0]!];
    const s = await ortSession(bytes);
    const r = await compareWithOrt(broken, s, randomInput(3 * 16 * 16, 5));
    expect(r.relError).toBeGreaterThan(1e-4);
  });
});
