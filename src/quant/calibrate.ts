/**
 * Activation ranges and tensor scales. A layer's output range comes from the
 * file (`outputRange`, e.g. QAT clipping values), else from running the float
 * network on calibration inputs (default: 16 inputs uniform over the input
 * range, seed 1: deterministic). Tensors are zero-point-free:
 *   after ReLU/ReLU6 (and pools of such): unsigned, scale = max / (2^b - 1)
 *   otherwise: signed, scale = max(|min|, |max|) / (2^(b-1) - 1)
 * ReLU6's range is [0, 6] unless the file says otherwise.
 */
import type { FloatNetwork, FloatLayer, TensorSpec } from '../model/index.ts';
import { ModelError } from '../model/index.ts';
import { runFloat } from '../ref/index.ts';
import { seededRandom } from './seededRandom.ts';
import type { NetworkPrecision } from './precision.ts';

export interface ObservedRange {
  readonly min: number;
  readonly max: number;
}

export function defaultCalibrationInputs(net: FloatNetwork, count = 16, seed = 1): Float64Array[] {
  const rnd = seededRandom(seed);
  const { min, max } = net.input.range ?? { min: 0, max: 1 };
  const n = net.input.height * net.input.width * net.input.channels;
  return Array.from({ length: count }, () => Float64Array.from({ length: n }, () => rnd.uniform(min, max)));
}

export function observeRanges(net: FloatNetwork, inputs: readonly Float64Array[]): Map<string, ObservedRange> {
  const ranges = new Map<string, { min: number; max: number }>();
  for (const x of inputs) {
    const run = runFloat(net, x);
    for (const [name, y] of run.outputs) {
      const r = ranges.get(name) ?? { min: Infinity, max: -Infinity };
      for (const v of y) {
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
      }
      ranges.set(name, r);
    }
  }
  return ranges;
}

const activationOf = (l: FloatLayer): string => ('activation' in l && l.activation ? l.activation.kind : 'none');

/** Scales and signedness of the network input and every layer output. */
export function tensorSpecs(net: FloatNetwork, precision: NetworkPrecision, observed: ReadonlyMap<string, ObservedRange>): { input: TensorSpec; layers: TensorSpec[] } {
  const problems: string[] = [];
  const specFor = (bits: number, unsignedTensor: boolean, r: ObservedRange, where: string): TensorSpec => {
    if (unsignedTensor) {
      const hi = Math.max(0, r.max);
      return { bits, signed: false, scale: hi > 0 ? hi / (2 ** bits - 1) : 1 };
    }
    if (bits < 2) {
      problems.push(`${where}: a signed tensor needs at least 2 bits, got ${bits} (only tensors after ReLU may have 1 bit)`);
      return { bits: 2, signed: true, scale: 1 };
    }
    const m = Math.max(Math.abs(r.min), Math.abs(r.max));
    return { bits, signed: true, scale: m > 0 ? m / (2 ** (bits - 1) - 1) : 1 };
  };
  const inRange = net.input.range ?? { min: 0, max: 1 };
  const input = specFor(precision.inputBits, inRange.min >= 0, inRange, 'input');
  const byName = new Map<string, TensorSpec>([['input', input]]);
  const layers = net.layers.map((l, i) => {
    let spec: TensorSpec;
    if (l.op === 'avgPool' || l.op === 'maxPool') {
      spec = byName.get(l.input ?? (i === 0 ? 'input' : net.layers[i - 1]!.name))!;
    } else {
      const act = activationOf(l);
      const r = l.outputRange ?? (act === 'relu6' ? { min: 0, max: 6 } : observed.get(l.name));
      if (r === undefined) throw new ModelError(`layer "${l.name}"`, ['has no outputRange and was not calibrated']);
      spec = specFor(precision.layers[i]!.outputBits, act === 'relu' || act === 'relu6', r, `layers[${i}]`);
    }
    byName.set(l.name, spec);
    return spec;
  });
  if (problems.length > 0) throw new ModelError(`network "${net.name}"`, problems);
  return { input, layers };
}
