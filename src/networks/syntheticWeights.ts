/**
 * Seeded synthetic weights for an architecture-only network, so that the
 * built-in MobileNets and ResNet-18 can be compiled (pikelpn), run and built
 * in hardware without a trained checkpoint.
 *
 * Weights are He-normal (std sqrt(2 / fan_in)), classifier biases small.
 * Batch norm gets gamma near 1 and beta near 0, but its mean and variance are
 * MEASURED: each layer's pre-normalisation output is computed on a few seeded
 * random inputs (layer by layer, with the layers before it already final) and
 * its per-channel statistics become the running statistics. Random statistics
 * would drive most channels into saturation or zero and make the output
 * nearly independent of the input (TOOLING-NOTES, ONNX); measured ones keep
 * every layer's activations around unit scale, as a trained network's are.
 * Deterministic for a given seed (one mulberry32 stream, fixed order).
 */
import { type FloatLayer, type FloatNetwork, DEFAULT_BN_EPSILON, inferShapes } from '../model/index.ts';
import { activationFloat, addFloat, batchNormFloat, runFloat } from '../ref/index.ts';
import { seededRandom } from '../quant/seededRandom.ts';

export interface SyntheticWeightOptions {
  /** Seed of the weights, the batch-norm affine parameters and the statistics inputs. */
  readonly seed?: number;
  /** Seeded random inputs the batch-norm statistics are measured on (uniform over the input range). */
  readonly statisticsInputs?: number;
}

type Weighted = Extract<FloatLayer, { op: 'conv2d' | 'depthwiseConv2d' | 'dense' }>;

/** The weighted copy of `net` (which must be architecture-only); its name gets no suffix. */
export function withSyntheticWeights(net: FloatNetwork, opts: SyntheticWeightOptions = {}): FloatNetwork {
  const seed = opts.seed ?? 1;
  const count = opts.statisticsInputs ?? statisticsInputCount(net);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`withSyntheticWeights: statisticsInputs ${count} must be a positive integer`);
  const weighted = net.layers.find((l) => 'weights' in l && l.weights !== undefined);
  if (weighted !== undefined) throw new RangeError(`withSyntheticWeights: network "${net.name}" layer "${weighted.name}" already has weights: synthetic weights are for architecture-only networks`);
  const rnd = seededRandom(seed);
  const shapes = inferShapes(net).layers;
  const range = net.input.range ?? { min: 0, max: 1 };
  const n = net.input.height * net.input.width * net.input.channels;
  // tensors[name][sample]; freed after their last reader to bound memory at 224x224.
  const tensors = new Map<string, Float64Array[]>([['input', Array.from({ length: count }, () => Float64Array.from({ length: n }, () => rnd.uniform(range.min, range.max)))]]);
  const lastUse = new Map<string, number>();
  shapes.forEach((s, i) => s.inputs.forEach((t) => lastUse.set(t, i)));

  const layers = net.layers.map((layer, i): FloatLayer => {
    const s = shapes[i]!;
    const xs = tensors.get(s.inputs[0]!)!;
    let done: FloatLayer;
    let ys: Float64Array[];
    if (layer.op === 'conv2d' || layer.op === 'depthwiseConv2d' || layer.op === 'dense') {
      const fanIn = layer.op === 'depthwiseConv2d' ? layer.kernel * layer.kernel : layer.op === 'dense' ? s.input.height * s.input.width * s.input.channels : layer.kernel * layer.kernel * s.input.channels;
      const total = fanIn * (layer.op === 'dense' ? layer.outFeatures : s.output.channels);
      const std = Math.sqrt(2 / fanIn);
      const weights = Array.from({ length: total }, () => std * rnd.gaussian());
      const hasBn = layer.batchNorm !== undefined;
      const bias = hasBn ? undefined : Array.from({ length: s.output.channels }, () => 0.1 * rnd.gaussian());
      const { batchNorm: _bn, ...noBn } = layer;
      void _bn;
      const bare = { ...noBn, weights, ...(bias ? { bias } : {}), activation: { kind: 'none' } } as Weighted;
      ys = xs.map((x) => runSingle(net, s.input, bare, x));
      const C = s.output.channels;
      let bn: Weighted['batchNorm'];
      if (hasBn) {
        const { mean, variance } = channelStats(ys, C);
        const gamma = Array.from({ length: C }, () => rnd.uniform(0.8, 1.2));
        const beta = Array.from({ length: C }, () => 0.2 * rnd.gaussian());
        bn = { gamma, beta, mean, variance };
        for (const y of ys) batchNormFloat(y, C, gamma, beta, mean, variance, DEFAULT_BN_EPSILON);
      }
      const act = layer.activation ?? { kind: 'none' as const };
      const slopes = act.kind === 'prelu' ? Array.from({ length: C }, () => rnd.uniform(0.05, 0.3)) : undefined;
      const activation = act.kind === 'prelu' ? { kind: 'prelu' as const, slopes: slopes! } : act;
      for (const y of ys) activationFloat(y, C, activation);
      done = { ...layer, weights, ...(bias ? { bias } : {}), ...(bn ? { batchNorm: bn } : {}), activation } as Weighted;
    } else if (layer.op === 'add') {
      const other = tensors.get(layer.with)!;
      const act = layer.activation ?? { kind: 'none' as const };
      if (act.kind === 'prelu') throw new RangeError(`withSyntheticWeights: layer "${layer.name}": PReLU after an add is not supported by the synthetic initialiser`);
      ys = xs.map((x, k) => {
        const y = new Float64Array(x.length);
        addFloat(x, other[k]!, y);
        activationFloat(y, s.output.channels, act);
        return y;
      });
      done = layer;
    } else {
      ys = xs.map((x) => runSingle(net, s.input, layer, x));
      done = layer;
    }
    tensors.set(layer.name, ys);
    for (const t of s.inputs) if (lastUse.get(t) === i) tensors.delete(t);
    return done;
  });
  return { ...net, layers };
}

/**
 * Enough seeded inputs that every normalised layer's statistics see at least
 * 64 values per channel: 2 at 224x224 (the last stage is 7x7), up to 64 at
 * reduced resolutions whose last stage is 1x1 (two samples there gave
 * near-zero variances and multipliers no requantizer can hold). The same
 * count suits calibrating the compiled network's ranges.
 */
export function statisticsInputCount(net: FloatNetwork): number {
  let least = Infinity;
  inferShapes(net).layers.forEach((s, i) => {
    const l = net.layers[i]!;
    if ('batchNorm' in l && l.batchNorm !== undefined) least = Math.min(least, s.output.height * s.output.width);
  });
  return Math.min(64, Math.max(2, Math.ceil(64 / least)));
}

/** One layer as a one-layer network on its input tensor (the shared float kernels, no second copy of them). */
function runSingle(net: FloatNetwork, input: { height: number; width: number; channels: number }, layer: FloatLayer, x: Float64Array): Float64Array {
  const { input: _ref, ...rest } = layer as FloatLayer & { input?: string };
  void _ref;
  const one: FloatNetwork = { ...net, input: { height: input.height, width: input.width, channels: input.channels }, layers: [rest as FloatLayer] };
  return runFloat(one, x).output;
}

function channelStats(ys: readonly Float64Array[], C: number): { mean: number[]; variance: number[] } {
  const sum = new Float64Array(C);
  const sq = new Float64Array(C);
  let count = 0;
  for (const y of ys) {
    for (let j = 0; j < y.length; j++) {
      const c = j % C;
      sum[c] = sum[c]! + y[j]!;
      sq[c] = sq[c]! + y[j]! * y[j]!;
    }
    count += y.length / C;
  }
  const mean = Array.from(sum, (v) => v / count);
  // A channel that never varies (a dead input) gets variance 1, not a division by ~0.
  const variance = Array.from(sq, (v, c) => {
    const m = mean[c]!;
    const v2 = v / count - m * m;
    return v2 > 1e-12 ? v2 : 1;
  });
  return { mean, variance };
}
