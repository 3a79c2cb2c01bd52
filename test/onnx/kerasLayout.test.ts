// Keras models arrive through tf2onnx in NHWC: Transpose(perm [0, 3, 1, 2])
// after the input, and Transpose(perm [0, 2, 3, 1]) before the Reshape that
// flattens for the classifier (so the dense weights are in H,W,C order, which
// is pikehdl's own). A graph written that way, imported, must match ORT.
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/onnx/index.ts';
import { DT, encodeModel, type EncodeNode, type EncodeTensor } from '../../src/onnx/proto.ts';
import { seededRandom } from '../../src/quant/index.ts';
import { runFloat } from '../../src/ref/index.ts';
import { ortRun, ortSession, randomInput } from './ort.ts';

/** `head`: 'flatten' (Transpose to NHWC, Reshape, MatMul) or 'gap' (Transpose to NHWC, ReduceMean over axes 1 and 2, MatMul). */
function kerasLike(seed: number, head: 'flatten' | 'gap' = 'flatten'): Uint8Array {
  const r = seededRandom(seed);
  const f = (n: number): number[] => Array.from({ length: n }, () => Math.fround(0.4 * r.gaussian()));
  const [H, W, C, O, N] = [5, 6, 3, 4, 7];
  const inits: EncodeTensor[] = [
    { name: 'k', dims: [O, C, 3, 3], dataType: DT.FLOAT, values: f(O * C * 9) },
    { name: 'kb', dims: [O], dataType: DT.FLOAT, values: f(O) },
    { name: 'shape', dims: [2], dataType: DT.INT64, values: [-1, H * W * O] },
    { name: 'dw', dims: head === 'gap' ? [O, N] : [H * W * O, N], dataType: DT.FLOAT, values: f((head === 'gap' ? O : H * W * O) * N) },
    { name: 'db', dims: [N], dataType: DT.FLOAT, values: f(N) },
  ];
  const nodes: EncodeNode[] = [
    { opType: 'Transpose', name: 'input_nchw', inputs: ['input'], outputs: ['x'], attributes: { perm: [0, 3, 1, 2] } },
    { opType: 'Conv', name: 'model/conv2d/Conv2D', inputs: ['x', 'k', 'kb'], outputs: ['c'], attributes: { kernel_shape: [3, 3], auto_pad: 'SAME_UPPER' } },
    { opType: 'Relu', name: 'model/conv2d/Relu', inputs: ['c'], outputs: ['r'] },
    { opType: 'Transpose', name: 'model/flatten/nhwc', inputs: ['r'], outputs: ['t'], attributes: { perm: [0, 2, 3, 1] } },
    head === 'gap'
      ? { opType: 'ReduceMean', name: 'model/gap/Mean', inputs: ['t'], outputs: ['fl'], attributes: { axes: [1, 2], keepdims: 0 } }
      : { opType: 'Reshape', name: 'model/flatten/Reshape', inputs: ['t', 'shape'], outputs: ['fl'] },
    { opType: 'MatMul', name: 'model/dense/MatMul', inputs: ['fl', 'dw'], outputs: ['m'] },
    { opType: 'Add', name: 'model/dense/BiasAdd', inputs: ['m', 'db'], outputs: ['output'] },
  ];
  return encodeModel({ graphName: 'keras', opset: 13, input: { name: 'input', dims: [1, H, W, C] }, output: { name: 'output', dims: [1, N] }, nodes, initializers: inits, metadata: new Map() });
}

describe('NHWC graphs (tf2onnx)', () => {
  it('GlobalAveragePooling2D as ReduceMean over NHWC axes 1 and 2 matches ORT', async () => {
    const bytes = kerasLike(4, 'gap');
    const net = importOnnx(bytes, 'keras_gap.onnx').float;
    expect(net.layers.map((l) => l.op)).toEqual(['conv2d', 'avgPool', 'dense']);
    const s = await ortSession(bytes);
    const x = randomInput(5 * 6 * 3, 11);
    const ref = await ortRun(s, x, [1, 5, 6, 3]);
    const ours = runFloat(net, Float64Array.from(x)).output;
    const scale = Math.max(...ref.data.map(Math.abs));
    expect(ours.length).toBe(7);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - ref.data[i]!)).toBeLessThan(1e-4 * scale);
  });

  it('imports the NHWC input and the H,W,C flatten, and matches ORT', async () => {
    const bytes = kerasLike(3);
    const net = importOnnx(bytes, 'keras.onnx').float;
    expect(net.input).toEqual({ height: 5, width: 6, channels: 3 });
    expect(net.layers.map((l) => l.op)).toEqual(['conv2d', 'dense']);
    expect(net.layers[0]).toMatchObject({ name: 'model_conv2d_Conv2D', padding: 1, activation: { kind: 'relu' } });
    const s = await ortSession(bytes);
    let compared = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const hwc = randomInput(5 * 6 * 3, seed); // the file's input is NHWC: the same order as pikehdl's
      const ref = await ortRun(s, hwc, [1, 5, 6, 3]);
      const ours = runFloat(net, Float64Array.from(hwc)).output;
      const scale = Math.max(...ref.data.map(Math.abs));
      for (let i = 0; i < ours.length; i++) {
        expect(Math.abs(ours[i]! - ref.data[i]!)).toBeLessThan(1e-4 * scale);
        compared++;
      }
    }
    expect(compared).toBe(35);
  });
});
