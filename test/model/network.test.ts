// The float network schema: a valid file parses, and every kind of bad input
// is refused with a message that names the JSON path and the rule.
import { describe, expect, it } from 'vitest';
import { ModelError, inferShapes, parseFloatNetwork, validateFloatNetwork, type FloatNetwork } from '../../src/model/index.ts';

const ramp = (n: number, scale = 0.01): number[] => Array.from({ length: n }, (_, i) => ((i % 7) - 3) * scale);

function tinyNet(): FloatNetwork {
  return {
    format: 'pikehdl-float-network',
    version: 1,
    name: 'tiny',
    input: { height: 8, width: 8, channels: 1 },
    layers: [
      { name: 'stem', op: 'conv2d', kernel: 3, stride: 1, padding: 1, outChannels: 4, weights: ramp(36), bias: ramp(4),
        batchNorm: { gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0], mean: [0, 0, 0, 0], variance: [1, 1, 1, 1] }, activation: { kind: 'relu' } },
      { name: 'dw', op: 'depthwiseConv2d', kernel: 3, stride: 2, padding: 1, weights: ramp(36),
        batchNorm: { gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0], mean: [0, 0, 0, 0], variance: [1, 1, 1, 1], epsilon: 1e-3 }, activation: { kind: 'prelu', slopes: [0.25, 0.25, 0.25, 0.25] } },
      { name: 'pw', op: 'conv2d', kernel: 1, outChannels: 4, weights: ramp(16), activation: { kind: 'relu6' } },
      { name: 'res', op: 'add', with: 'dw' },
      { name: 'pool', op: 'avgPool', kernel: 'global' },
      { name: 'fc', op: 'dense', outFeatures: 3, weights: ramp(12), bias: ramp(3) },
    ],
  };
}

function errorsOf(value: unknown): string[] {
  try {
    validateFloatNetwork(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return [...(err as ModelError).issues];
  }
  throw new Error('expected the network to be refused');
}

describe('float network schema', () => {
  it('accepts a valid network and infers its shapes', () => {
    const net = validateFloatNetwork(tinyNet());
    const s = inferShapes(net);
    expect(s.layers.map((l) => [l.name, l.output.height, l.output.width, l.output.channels])).toEqual([
      ['stem', 8, 8, 4], ['dw', 4, 4, 4], ['pw', 4, 4, 4], ['res', 4, 4, 4], ['pool', 1, 1, 4], ['fc', 1, 1, 3],
    ]);
    expect(s.layers.map((l) => l.macs)).toEqual([8 * 8 * 4 * 9, 4 * 4 * 4 * 9, 4 * 4 * 4 * 4, 0, 0, 4 * 3]);
    expect(s.layers[3]!.inputs).toEqual(['pw', 'dw']);
    expect(s.totalMacs).toBe(2304 + 576 + 256 + 12);
  });

  it('accepts an architecture-only network (no weights, batchNorm: true)', () => {
    const net = tinyNet();
    for (const l of net.layers) {
      if ('weights' in l) delete l.weights;
      if ('bias' in l) delete l.bias;
      if ('batchNorm' in l && l.batchNorm !== undefined) l.batchNorm = true;
      if ('activation' in l && l.activation?.kind === 'prelu') delete l.activation.slopes;
    }
    expect(inferShapes(validateFloatNetwork(net)).totalMacs).toBe(3148);
  });

  const cases: [string, (n: FloatNetwork) => unknown, string][] = [
    ['wrong weight count', (n) => { (n.layers[0] as { weights: number[] }).weights.pop(); return n; }, 'layers[0].weights: expected 36 numbers for conv2d 3x3x1->4, got 35'],
    ['NaN in weights', (n) => { (n.layers[2] as { weights: number[] }).weights[5] = NaN; return n; }, 'layers[2].weights[5]: expected a finite number, got NaN'],
    ['Infinity in bias', (n) => { (n.layers[0] as { bias: number[] }).bias[1] = Infinity; return n; }, 'layers[0].bias[1]: expected a finite number, got Infinity'],
    ['negative variance', (n) => { ((n.layers[0] as { batchNorm: { variance: number[] } }).batchNorm.variance[2] = -1); return n; }, 'layers[0].batchNorm.variance[2]: expected a number >= 0, got -1'],
    ['bits out of range', (n) => ({ ...n, layers: [{ ...n.layers[0]!, weightBits: 9 }, ...n.layers.slice(1)] }), 'layers[0].weightBits: expected an integer from 1 to 8, got 9'],
    ['fractional bits', (n) => ({ ...n, layers: [{ ...n.layers[0]!, activationBits: 2.5 }, ...n.layers.slice(1)] }), 'layers[0].activationBits: expected an integer from 1 to 8, got 2.5'],
    ['missing field', (n) => { delete (n.layers[0] as { kernel?: number }).kernel; return n; }, 'layers[0].kernel: missing (required)'],
    ['unknown field', (n) => ({ ...n, layers: [{ ...n.layers[0]!, kernal: 3 }, ...n.layers.slice(1)] }), 'layers[0]: unknown field "kernal": remove or fix the spelling'],
    ['duplicate name', (n) => { n.layers[2]!.name = 'dw'; return n; }, 'layers[2].name: layer name "dw" is used twice: names must be unique'],
    ['unknown with', (n) => { (n.layers[3] as { with: string }).with = 'later'; return n; }, 'layers[3].with: "later" is not an earlier layer: with must name a layer above this one, or "input"'],
    ['forward input', (n) => { n.layers[1]!.input = 'fc'; return n; }, 'layers[1].input: "fc" is not an earlier layer: input must name a layer above this one, or "input"'],
    ['add shapes differ', (n) => { (n.layers[3] as { with: string }).with = 'stem'; return n; }, 'layers[3].with: shapes differ: "pw" is 4x4x4 but "stem" is 8x8x4: add needs equal shapes'],
    ['bad op', (n) => ({ ...n, layers: [{ name: 'x', op: 'conv3d' }] }), 'layers[0].op: expected op "conv2d", "depthwiseConv2d", "dense", "avgPool", "maxPool", "add"'],
    ['prelu slopes length', (n) => { (n.layers[1] as { activation: { slopes: number[] } }).activation.slopes.push(1); return n; }, 'layers[1].activation.slopes: expected 4 numbers (one per channel), got 5'],
    ['batchNorm length', (n) => { (n.layers[0] as { batchNorm: { gamma: number[] } }).batchNorm.gamma.pop(); return n; }, 'layers[0].batchNorm.gamma: expected 4 numbers (one per output channel), got 3'],
    ['weights missing in a weighted file', (n) => { delete (n.layers[2] as { weights?: number[] }).weights; return n; }, 'layers[2].weights: missing: layer "stem" has weights'],
    ['kernel too big', (n) => ({ ...n, input: { height: 2, width: 2, channels: 1 }, layers: [{ name: 'c', op: 'conv2d', kernel: 5, outChannels: 1 }] }), 'layers[0].kernel: kernel 5 with padding 0 does not fit the 2x2x1 input'],
    ['wrong format', (n) => ({ ...n, format: 'onnx' }), 'format: expected "pikehdl-float-network"'],
    ['bad layer name', (n) => { n.layers[0]!.name = '1st'; return n; }, 'layers[0].name: layer name "1st" is invalid'],
    ['empty layers', (n) => ({ ...n, layers: [] }), 'layers: a network needs at least one layer'],
  ];
  for (const [what, mutate, expected] of cases) {
    it(`refuses ${what}, naming the path`, () => {
      const errs = errorsOf(mutate(tinyNet()));
      expect(errs.some((e) => e.startsWith(expected)), `got:\n${errs.join('\n')}`).toBe(true);
    });
  }

  it('refuses malformed JSON with a ModelError naming the source', () => {
    expect(() => parseFloatNetwork('{"format": ', 'net.json')).toThrow(/^net\.json: malformed JSON/);
  });

  it('lists several problems at once', () => {
    const n = tinyNet();
    (n.layers[0] as { weights: number[] }).weights.pop();
    (n.layers[2] as { weights: number[] }).weights.push(1);
    expect(errorsOf(n).length).toBeGreaterThanOrEqual(2);
  });
});
