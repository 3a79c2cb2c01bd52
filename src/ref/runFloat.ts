/**
 * Execute a float network file in double precision: conv/dense + bias ->
 * batch norm -> activation, pooling, residual add. The reference that
 * quantization error is measured against, and the source of calibration
 * ranges. Optional clipping of chosen layers' outputs to [lo, hi] models the
 * activation ranges a quantized network saturates at (as QAT does).
 */
import { type FloatNetwork, type FloatLayer, DEFAULT_BN_EPSILON, inferShapes, ModelError } from '../model/index.ts';
import { windowGeometry } from './geometry.ts';
import { maxPoolInto } from './maxPool.ts';
import { paddedPoolCounts, paddedPoolSums } from './paddedPool.ts';
import { conv2dFloat, depthwiseConv2dFloat, denseFloat, avgPoolFloat, batchNormFloat, activationFloat, addFloat } from './convFloat.ts';

export interface FloatRunOptions {
  /** Clamp a layer's output (after its activation) to [lo, hi]; the key "input" clamps the network input. */
  readonly clip?: ReadonlyMap<string, { readonly lo: number; readonly hi: number }>;
}

export interface FloatRun {
  readonly outputs: ReadonlyMap<string, Float64Array>;
  readonly output: Float64Array;
}

function requireWeights(layer: FloatLayer & { weights?: number[] }): Float64Array {
  if (layer.weights === undefined) throw new ModelError(`layer "${layer.name}"`, ['has no weights: an architecture-only network cannot be run']);
  return Float64Array.from(layer.weights);
}

export function runFloat(net: FloatNetwork, input: Float64Array, options: FloatRunOptions = {}): FloatRun {
  const shapes = inferShapes(net).layers;
  const expected = net.input.height * net.input.width * net.input.channels;
  if (input.length !== expected) throw new ModelError('input', [`expected ${expected} values, got ${input.length}`]);
  const outputs = new Map<string, Float64Array>();
  const clipIn = options.clip?.get('input');
  const x0 = Float64Array.from(input);
  if (clipIn) for (let i = 0; i < x0.length; i++) x0[i] = Math.min(clipIn.hi, Math.max(clipIn.lo, x0[i]!));
  outputs.set('input', x0);
  net.layers.forEach((layer, idx) => {
    const s = shapes[idx]!;
    const x = outputs.get(s.inputs[0]!)!;
    const o = s.output;
    const y = new Float64Array(s.outputElements);
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense': {
        const w = requireWeights(layer);
        if (layer.op === 'dense') denseFloat(x, w, o.channels, y);
        else {
          const g = windowGeometry(s.input.height, s.input.width, s.input.channels, layer.kernel, layer.stride ?? 1, layer.padding ?? 0, o.channels);
          if (layer.op === 'conv2d') conv2dFloat(x, g, w, y);
          else depthwiseConv2dFloat(x, g, w, y);
        }
        if (layer.bias) for (let i = 0; i < y.length; i++) y[i] = y[i]! + layer.bias[i % o.channels]!;
        const bn = layer.batchNorm;
        if (bn !== undefined && bn !== true) batchNormFloat(y, o.channels, bn.gamma, bn.beta, bn.mean, bn.variance, bn.epsilon ?? DEFAULT_BN_EPSILON);
        if (layer.activation) activationFloat(y, o.channels, floatActivation(layer));
        break;
      }
      case 'avgPool': {
        const kh = layer.kernel === 'global' ? s.input.height : layer.kernel;
        const kw = layer.kernel === 'global' ? s.input.width : layer.kernel;
        if (layer.kernel !== 'global' && (layer.padding ?? 0) > 0) {
          const c = s.input.channels;
          const g = windowGeometry(s.input.height, s.input.width, c, layer.kernel, layer.stride ?? layer.kernel, layer.padding ?? 0, c);
          const counts = paddedPoolCounts(g);
          paddedPoolSums(x, g).forEach((v, k) => void (y[k] = v / counts[Math.floor(k / c)]!));
          break;
        }
        avgPoolFloat(x, s.input.height, s.input.width, s.input.channels, kh, kw, layer.kernel === 'global' ? 1 : (layer.stride ?? layer.kernel), y);
        break;
      }
      case 'maxPool': {
        const k = layer.kernel;
        maxPoolInto(x, windowGeometry(s.input.height, s.input.width, s.input.channels, k, layer.stride ?? k, layer.padding ?? 0, s.input.channels), y);
        break;
      }
      case 'add': {
        addFloat(x, outputs.get(layer.with)!, y);
        if (layer.activation) activationFloat(y, o.channels, floatActivation(layer));
        break;
      }
    }
    const clip = options.clip?.get(layer.name);
    if (clip) for (let i = 0; i < y.length; i++) y[i] = Math.min(clip.hi, Math.max(clip.lo, y[i]!));
    outputs.set(layer.name, y);
  });
  outputs.delete('input');
  return { outputs, output: outputs.get(net.layers[net.layers.length - 1]!.name)! };
}

function floatActivation(layer: FloatLayer & { activation?: { kind: string; slopes?: number[] } }): Parameters<typeof activationFloat>[2] {
  const a = layer.activation!;
  if (a.kind === 'prelu') {
    if (a.slopes === undefined) throw new ModelError(`layer "${layer.name}"`, ['PReLU has no slopes: an architecture-only network cannot be run']);
    return { kind: 'prelu', slopes: a.slopes };
  }
  return { kind: a.kind as 'none' | 'relu' | 'relu6' };
}
