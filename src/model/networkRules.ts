/**
 * The rules of a float network that need more than one field: unique names,
 * references to earlier layers, shapes flowing through the graph, tensor
 * lengths, agreeing shapes for `add`, and "weighted or architecture-only".
 *
 * One walk computes the shapes and the issues together, so the schema
 * (network.ts) and inferShapes (inferShapes.ts) cannot disagree.
 */
import type { FloatLayer, FloatNetwork } from './network.ts';

export interface TensorShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface LayerShape {
  readonly index: number;
  readonly name: string;
  readonly op: FloatLayer['op'];
  /** Names of the layers read ("input" = the network input); `add` reads two. */
  readonly inputs: readonly string[];
  readonly input: TensorShape;
  readonly output: TensorShape;
  /** Multiply-accumulates per inference (conv2d, depthwiseConv2d, dense); 0 for pools and add. */
  readonly macs: number;
  /** Terms summed per output element: kh*kw*inC, kh*kw, inF, the pooling window, or 2 for add. */
  readonly reductionDepth: number;
  readonly outputElements: number;
  /** Number of weights the layer holds (0 for pools and add). */
  readonly weightCount: number;
}

export interface NetworkIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

export interface NetworkWalk {
  readonly shapes: LayerShape[];
  readonly issues: NetworkIssue[];
}

const elements = (s: TensorShape): number => s.height * s.width * s.channels;
const dims = (s: TensorShape): string => `${s.height}x${s.width}x${s.channels}`;

/** Output size of a convolution or pooling window along one axis (floor, as every framework does). */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** Walk the layers in order, computing shapes and collecting every issue. */
export function walkNetwork(net: FloatNetwork): NetworkWalk {
  const issues: NetworkIssue[] = [];
  const shapes: LayerShape[] = [];
  const known = new Map<string, TensorShape>([['input', { height: net.input.height, width: net.input.width, channels: net.input.channels }]]);
  const weightedAt = net.layers.findIndex((l) => 'weights' in l && l.weights !== undefined);
  const weighted = weightedAt >= 0;

  net.layers.forEach((layer, i) => {
    const at = (...p: (string | number)[]): (string | number)[] => ['layers', i, ...p];
    if (known.has(layer.name)) issues.push({ path: at('name'), message: `layer name "${layer.name}" is used twice: names must be unique` });

    const prevName = i === 0 ? 'input' : net.layers[i - 1]!.name;
    const inputName = layer.input ?? prevName;
    let input = known.get(inputName);
    if (input === undefined) {
      issues.push({ path: at('input'), message: `"${inputName}" is not an earlier layer: input must name a layer above this one, or "input"` });
      input = known.get(prevName) ?? known.get('input')!;
    }
    const inputs = [inputName];
    // DHQ chooses only for depthwise and pointwise (1x1 conv2d) tensors: a recorded choice anywhere else would be ignored.
    if ((layer.op === 'dense' || (layer.op === 'conv2d' && layer.kernel !== 1)) && layer.dhqScheme !== undefined) {
      issues.push({ path: at('dhqScheme'), message: 'dhqScheme is for depthwise and pointwise (1x1 conv2d) layers only: DHQ gives every other layer the recipe\'s scheme' });
    }

    let output: TensorShape = input;
    let macs = 0;
    let depth = 1;
    let weightCount = 0;
    let describe = '';
    switch (layer.op) {
      case 'conv2d':
      case 'depthwiseConv2d': {
        const stride = layer.stride ?? 1;
        const padding = layer.padding ?? 0;
        const k = layer.kernel;
        if (padding >= k) issues.push({ path: at('padding'), message: `padding ${padding} is invalid for kernel ${k}: padding must be below the kernel size` });
        const h = convOutputSize(input.height, k, stride, padding);
        const w = convOutputSize(input.width, k, stride, padding);
        if (h < 1 || w < 1) {
          issues.push({ path: at('kernel'), message: `kernel ${k} with padding ${padding} does not fit the ${dims(input)} input` });
        }
        const outC = layer.op === 'conv2d' ? layer.outChannels : input.channels;
        output = { height: Math.max(1, h), width: Math.max(1, w), channels: outC };
        depth = layer.op === 'conv2d' ? k * k * input.channels : k * k;
        macs = elements(output) * depth;
        weightCount = layer.op === 'conv2d' ? outC * k * k * input.channels : k * k * outC;
        describe = layer.op === 'conv2d' ? `conv2d ${k}x${k}x${input.channels}->${outC}` : `depthwiseConv2d ${k}x${k}x${outC}`;
        break;
      }
      case 'dense': {
        depth = elements(input);
        output = { height: 1, width: 1, channels: layer.outFeatures };
        macs = depth * layer.outFeatures;
        weightCount = macs;
        describe = `dense ${depth}->${layer.outFeatures}`;
        break;
      }
      case 'avgPool': {
        if (layer.kernel === 'global') {
          if (layer.stride !== undefined) issues.push({ path: at('stride'), message: 'a global pool has no stride: remove it' });
          if (layer.padding !== undefined && layer.padding !== 0) issues.push({ path: at('padding'), message: 'a global pool has no padding: remove it' });
          output = { height: 1, width: 1, channels: input.channels };
          depth = input.height * input.width;
        } else {
          const k = layer.kernel;
          const stride = layer.stride ?? k;
          const padding = layer.padding ?? 0;
          if (padding >= k) issues.push({ path: at('padding'), message: `padding ${padding} is invalid for pool kernel ${k}: padding must be below the kernel size` });
          if (k > input.height + 2 * padding || k > input.width + 2 * padding) {
            issues.push({ path: at('kernel'), message: `pool kernel ${k} is larger than the ${dims(input)} input${padding > 0 ? ` with padding ${padding}` : ''}` });
          }
          output = {
            height: Math.max(1, convOutputSize(input.height, k, stride, padding)),
            width: Math.max(1, convOutputSize(input.width, k, stride, padding)),
            channels: input.channels,
          };
          depth = k * k;
        }
        break;
      }
      case 'maxPool': {
        const k = layer.kernel;
        const stride = layer.stride ?? k;
        const padding = layer.padding ?? 0;
        // padding < kernel keeps a real input in every window, so a max over the real inputs always exists.
        if (padding >= k) issues.push({ path: at('padding'), message: `padding ${padding} is invalid for pool kernel ${k}: padding must be below the kernel size` });
        const h = convOutputSize(input.height, k, stride, padding);
        const w = convOutputSize(input.width, k, stride, padding);
        if (h < 1 || w < 1) issues.push({ path: at('kernel'), message: `pool kernel ${k} with padding ${padding} does not fit the ${dims(input)} input` });
        output = { height: Math.max(1, h), width: Math.max(1, w), channels: input.channels };
        depth = k * k;
        break;
      }
      case 'add': {
        const other = known.get(layer.with);
        inputs.push(layer.with);
        depth = 2;
        if (other === undefined) {
          issues.push({ path: at('with'), message: `"${layer.with}" is not an earlier layer: with must name a layer above this one, or "input"` });
        } else if (other.height !== input.height || other.width !== input.width || other.channels !== input.channels) {
          issues.push({
            path: at('with'),
            message: `shapes differ: "${inputName}" is ${dims(input)} but "${layer.with}" is ${dims(other)}: add needs equal shapes`,
          });
        }
        break;
      }
    }

    // Parameters: lengths, and "weighted or architecture-only".
    const channels = output.channels;
    if (layer.op === 'conv2d' || layer.op === 'depthwiseConv2d' || layer.op === 'dense') {
      if (layer.weights === undefined) {
        if (weighted) {
          issues.push({
            path: at('weights'),
            message: `missing: layer "${net.layers[weightedAt]!.name}" has weights, so every conv2d, depthwiseConv2d and dense layer needs them (or remove all weights for an architecture-only file)`,
          });
        }
        if (layer.bias !== undefined) issues.push({ path: at('bias'), message: 'bias without weights: give both, or neither in an architecture-only file' });
      } else if (layer.weights.length !== weightCount) {
        issues.push({ path: at('weights'), message: `expected ${weightCount} numbers for ${describe}, got ${layer.weights.length}` });
      }
      if (layer.bias !== undefined && layer.bias.length !== channels) {
        issues.push({ path: at('bias'), message: `expected ${channels} numbers (one per output channel), got ${layer.bias.length}` });
      }
      const bn = layer.batchNorm;
      if (bn === true && weighted) {
        issues.push({ path: at('batchNorm'), message: 'batchNorm: true is for architecture-only files: this file has weights, so give the statistics {gamma, beta, mean, variance}' });
      } else if (bn !== undefined && bn !== true) {
        for (const key of ['gamma', 'beta', 'mean', 'variance'] as const) {
          if (bn[key].length !== channels) {
            issues.push({ path: at('batchNorm', key), message: `expected ${channels} numbers (one per output channel), got ${bn[key].length}` });
          }
        }
      }
    }
    if ((layer.op === 'conv2d' || layer.op === 'depthwiseConv2d' || layer.op === 'dense' || layer.op === 'add') && layer.activation?.kind === 'prelu') {
      const slopes = layer.activation.slopes;
      if (slopes === undefined) {
        if (weighted) issues.push({ path: at('activation', 'slopes'), message: `missing: this file has weights, so PReLU needs ${channels} slopes (one per channel)` });
      } else if (slopes.length !== channels) {
        issues.push({ path: at('activation', 'slopes'), message: `expected ${channels} numbers (one per channel), got ${slopes.length}` });
      }
    }

    if (!known.has(layer.name)) known.set(layer.name, output);
    shapes.push(
      Object.freeze({ index: i, name: layer.name, op: layer.op, inputs, input, output, macs, reductionDepth: depth, outputElements: elements(output), weightCount }),
    );
  });
  return { shapes, issues };
}

export function checkNetworkRules(net: FloatNetwork): NetworkIssue[] {
  return walkNetwork(net).issues;
}
