/**
 * compile(floatNet, recipe) -> integer network: resolve widths, calibrate
 * activation ranges, quantize every layer, and report what was done and the
 * error bound the spec derives for each layer and for the network.
 */
import { maxOf, minOf, type RoundingMode } from '../arith/index.ts';
import {
  type FloatNetwork, type IntNetwork, type IntLayer, type TensorSpec, type IntAddLayer, type IntAvgPoolLayer, type IntMaxPoolLayer,
  INT_NETWORK_FORMAT, INT_NETWORK_VERSION, ModelError, formatIssues, inferShapes, intNetworkSchema, tensorShape,
} from '../model/index.ts';
import type { Recipe, WeightScheme } from './recipes.ts';
import { resolvePrecision } from './precision.ts';
import { defaultCalibrationInputs, observeRanges, tensorSpecs } from './calibrate.ts';
import { compileWeighted } from './compileWeighted.ts';
import { activationOutput } from './activationOutput.ts';
import { doubleQuantize } from './doubleQuant.ts';
import { preluError, requantErrorBound, roundingError } from './errorBound.ts';
import { fitSharedShift } from './sharedShift.ts';
import { abs, dyadic, fromNumber, sub } from './exactRational.ts';

export interface CompileOptions {
  /** Float inputs for activation calibration (default: 16 seeded uniform inputs over the input range). */
  readonly calibration?: readonly Float64Array[];
}

export interface LayerReport {
  readonly name: string;
  readonly op: IntLayer['op'];
  /** Weight scheme used (weighted layers). */
  readonly scheme?: WeightScheme;
  /** Largest error of this layer alone (exact integer input), in output LSBs. */
  readonly layerBound: number;
  /** Largest error against the fake-quantized float network, propagated from the input, in output LSBs. */
  readonly networkBound: number;
  readonly outputScale: number;
}

export interface CompileResult {
  readonly net: IntNetwork;
  readonly layers: readonly LayerReport[];
  /** The float network with each weight replaced by its dequantized value: what the integer network approximates. */
  readonly fakeQuantized: FloatNetwork;
  /** Per-tensor clipping ranges of the quantized network, in real units (for runFloat's `clip`; includes "input"). */
  readonly clip: ReadonlyMap<string, { readonly lo: number; readonly hi: number }>;
}

const f32 = Math.fround;

export function compile(floatNet: FloatNetwork, recipe: Recipe, options: CompileOptions = {}): CompileResult {
  if (recipe.mac === 'float') throw new ModelError(`recipe "${recipe.name}"`, ['is full precision: run the float network itself (there is nothing to compile)']);
  const shapes = inferShapes(floatNet).layers;
  const precision = resolvePrecision(floatNet, recipe);
  const observed = observeRanges(floatNet, options.calibration ?? defaultCalibrationInputs(floatNet));
  const specs = tensorSpecs(floatNet, precision, observed);
  const t = recipe.techniques;
  const layers: IntLayer[] = [];
  const reports: LayerReport[] = [];
  const bounds = new Map<string, number>([['input', 0.5]]);
  const tensors = new Map<string, TensorSpec>([['input', specs.input]]);
  const clip = new Map<string, { lo: number; hi: number }>();
  const inShape = tensorShape(specs.input);
  clip.set('input', { lo: Number(minOf(inShape)) * specs.input.scale, hi: Number(maxOf(inShape)) * specs.input.scale });
  const fakeLayers = floatNet.layers.map((l) => ({ ...l }));
  const rounding: RoundingMode = recipe.requantizer === 'tflite' ? 'rna' : recipe.rounding;

  // Which layer is being compiled: an arithmetic failure (a RangeError from
  // the fitting helpers) is reported against it, not against an internal function.
  let current = -1;
  try {
  floatNet.layers.forEach((layer, i) => {
    current = i;
    const s = shapes[i]!;
    const inName = s.inputs[0]!;
    const inT = tensors.get(inName)!;
    const outT = specs.layers[i]!;
    const eIn = bounds.get(inName)!;
    let intLayer: IntLayer;
    let layerBound = 0;
    let networkBound = 0;
    let scheme: WeightScheme | undefined;
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense': {
        const r = compileWeighted(layer, i, s, precision.layers[i]!.weightBits, inT, outT, recipe);
        intLayer = r.layer;
        scheme = r.scheme;
        (fakeLayers[i] as { weights?: number[] }).weights = Array.from(r.dequantizedWeights);
        const C = s.output.channels;
        const accMax = Number(r.accRange.hi > -r.accRange.lo ? r.accRange.hi : -r.accRange.lo);
        const relu6 = layer.activation?.kind === 'relu6';
        // gain_c = |a_c| * sum_k |w_ck| (integer weights): LSBs out per LSB in.
        const w = r.layer.weights;
        const per = w.length / C;
        const axisInner = layer.op === 'depthwiseConv2d';
        const sumAbs = new Float64Array(C);
        for (let k = 0; k < w.length; k++) sumAbs[axisInner ? k % C : Math.floor(k / per)]! += Math.abs(w[k]!);
        for (let c = 0; c < C; c++) {
          layerBound = Math.max(layerBound, requantErrorBound(r.layer.requant, c, r.a[c]!, r.b[c]!, r.slopes[c]!, accMax, relu6));
          const propagated = Math.abs(r.a[c]!) * sumAbs[c]! * eIn;
          networkBound = Math.max(networkBound, requantErrorBound(r.layer.requant, c, r.a[c]!, r.b[c]!, r.slopes[c]!, accMax, relu6, propagated));
        }
        break;
      }
      case 'avgPool': {
        const pool: IntAvgPoolLayer = {
          op: 'avgPool', name: layer.name, input: inName, kernel: layer.kernel,
          stride: layer.kernel === 'global' ? 1 : (layer.stride ?? layer.kernel), ...(layer.padding ? { padding: layer.padding } : {}), rounding, output: activationOutput(inT, 'none'),
        };
        intLayer = pool;
        layerBound = roundingError(rounding);
        networkBound = eIn + layerBound;
        break;
      }
      case 'maxPool': {
        // Keeps the input's tensor (scale and bits): no requant, no rounding, and a max of
        // values each within e of the real ones is within e of the real max.
        const pool: IntMaxPoolLayer = {
          op: 'maxPool', name: layer.name, input: inName, kernel: layer.kernel,
          stride: layer.stride ?? layer.kernel, padding: layer.padding ?? 0, output: activationOutput(inT, 'none'),
        };
        intLayer = pool;
        layerBound = 0;
        networkBound = eIn;
        break;
      }
      case 'add': {
        const wT = tensors.get(layer.with)!;
        const eWith = bounds.get(layer.with)!;
        const act = layer.activation?.kind ?? 'none';
        const out = activationOutput(outT, act);
        const r1 = inT.scale / outT.scale;
        const r2 = wT.scale / outT.scale;
        const alphas = act === 'prelu' && layer.activation?.kind === 'prelu' ? layer.activation.slopes! : undefined;
        const integerAlign = t.doubleQuant || recipe.requantizer === 'tflite';
        let add: IntAddLayer;
        const max1 = Number(maxOf(tensorShape(inT)));
        const max2 = Number(maxOf(tensorShape(wT)));
        let lin: number;
        let g1: number;
        let g2: number;
        if (integerAlign) {
          const bits = recipe.requantizer === 'tflite' ? 16 : recipe.doubleQuant.scaleBits;
          const dq = doubleQuantize([r1, r2], bits);
          if (dq.shift < 0) throw new ModelError(`layers[${i}] ("${layer.name}")`, ['alignment needs a left shift: scales too different for the width']);
          const preluInt = alphas && t.quantizedPrelu ? fitPrelu(alphas, recipe.prelu.slopeBits) : undefined;
          add = {
            op: 'add', name: layer.name, input: inName, with: layer.with,
            align: { arithmetic: 'integer', multipliers: [dq.multipliers[0]!, dq.multipliers[1]!], shift: dq.shift, scaleBits: bits, rounding },
            ...(alphas ? { prelu: preluInt ?? { arithmetic: 'float' as const, slopes: alphas.map(f32) } } : {}),
            output: out,
          };
          if (add.prelu?.arithmetic === 'float') throw new ModelError(`layers[${i}] ("${layer.name}")`, ['an integer add with PReLU needs quantizedPrelu on']);
          g1 = dq.multipliers[0]! * 2 ** -dq.shift;
          g2 = dq.multipliers[1]! * 2 ** -dq.shift;
          lin = Math.abs(g1 - r1) * max1 + Math.abs(g2 - r2) * max2 + roundingError(rounding);
        } else {
          add = {
            op: 'add', name: layer.name, input: inName, with: layer.with,
            align: { arithmetic: 'float', multipliers: [f32(r1), f32(r2)] },
            ...(alphas ? { prelu: { arithmetic: 'float' as const, slopes: alphas.map(f32) } } : {}),
            output: out,
          };
          g1 = f32(r1);
          g2 = f32(r2);
          const mag = g1 * max1 + g2 * max2;
          lin = Math.abs(g1 - r1) * max1 + Math.abs(g2 - r2) * max2 + 3 * 2 ** -24 * mag + 0.5;
        }
        intLayer = add;
        const yMax = r1 * max1 + r2 * max2;
        const relu6Extra = act === 'relu6' ? 0.5 : 0;
        for (let c = 0; c < s.output.channels; c++) {
          const alpha = alphas?.[c] ?? 1;
          layerBound = Math.max(layerBound, preluError(lin, yMax, alpha, add.prelu, c, rounding) + relu6Extra);
          networkBound = Math.max(networkBound, preluError(lin + g1 * eIn + g2 * eWith, yMax, alpha, add.prelu, c, rounding) + relu6Extra);
        }
        break;
      }
    }
    layers.push(intLayer);
    tensors.set(layer.name, { bits: intLayer.output.bits, signed: intLayer.output.signed, scale: intLayer.output.scale });
    clip.set(layer.name, { lo: intLayer.output.min * intLayer.output.scale, hi: intLayer.output.max * intLayer.output.scale });
    bounds.set(layer.name, networkBound);
    reports.push({ name: layer.name, op: layer.op, ...(scheme ? { scheme } : {}), layerBound, networkBound, outputScale: intLayer.output.scale });
  });
  } catch (e) {
    if (!(e instanceof RangeError) || current < 0) throw e;
    const l = floatNet.layers[current]!;
    throw new ModelError(`layers[${current}] ("${l.name}")`, [`cannot be quantized with recipe ${recipe.name}: ${e.message.replace(/^[A-Za-z]+: /, '')}`]);
  }

  const net: IntNetwork = {
    format: INT_NETWORK_FORMAT,
    version: INT_NETWORK_VERSION,
    name: floatNet.name,
    recipe: { name: recipe.name, techniques: { ...recipe.techniques } },
    input: { height: floatNet.input.height, width: floatNet.input.width, channels: floatNet.input.channels, tensor: specs.input },
    layers,
  };
  // The compiler's output must pass the same schema as a file read from disk.
  // Parameters inside the schema's limits can still combine into constants no
  // integer file can hold (a huge gamma over a tiny variance): name the first
  // one and its layer as the user's problem; anything else is a bug.
  const r = intNetworkSchema.safeParse(net);
  if (!r.success) {
    const issues = formatIssues(r.error.issues);
    const derived = issues.filter((m) => /(got (NaN|-?Infinity)|expected an integer from|expected an fp32 value|does not fit|outside|works in int32)/.test(m));
    if (derived.length === issues.length) {
      throw new ModelError(`network "${floatNet.name}"`, [
        `cannot be quantized with recipe ${recipe.name}: its parameters give ${derived[0]!} (${derived.length} such value${derived.length > 1 ? 's' : ''}): scale down the weights or batch-norm statistics of that layer or the layers before it`,
      ]);
    }
    throw new ModelError(`compiled network "${floatNet.name}" (this is a bug)`, issues);
  }
  return { net, layers: reports, fakeQuantized: { ...floatNet, layers: fakeLayers as FloatNetwork['layers'] }, clip };
}

function fitPrelu(alphas: number[], slopeBits: number): { arithmetic: 'integer'; slopes: number[]; shift: number; slopeBits: number } {
  const exact = alphas.map(fromNumber);
  const fit = fitSharedShift(alphas, slopeBits, true, (c, m, s) => abs(sub(exact[c]!, dyadic(m, s))));
  if (fit.shift < 0) throw new RangeError('PReLU slopes need a left shift: not supported');
  return { arithmetic: 'integer', slopes: fit.ints, shift: fit.shift, slopeBits };
}
