/**
 * Small constructors for architecture-only layers (no weights: batch norm is
 * `true`), so the network builders read like the papers' tables.
 */
import type { Activation, AddLayer, AvgPoolLayer, Conv2dLayer, DenseLayer, DepthwiseConv2dLayer, MaxPoolLayer } from '../model/index.ts';

export type ActivationKind = 'relu' | 'relu6' | 'prelu' | 'none';

const act = (kind: ActivationKind): Activation => ({ kind }) as Activation;

/** "Same" padding for an odd kernel: (k - 1) / 2. */
const same = (kernel: number): number => (kernel - 1) >> 1;

export function conv(
  name: string,
  kernel: number,
  outChannels: number,
  opts: { stride?: number; activation?: ActivationKind; input?: string } = {},
): Conv2dLayer {
  return {
    name,
    op: 'conv2d',
    kernel,
    stride: opts.stride ?? 1,
    padding: same(kernel),
    outChannels,
    batchNorm: true,
    activation: act(opts.activation ?? 'relu'),
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  };
}

export function depthwise(name: string, kernel: number, opts: { stride?: number; activation?: ActivationKind } = {}): DepthwiseConv2dLayer {
  return {
    name,
    op: 'depthwiseConv2d',
    kernel,
    stride: opts.stride ?? 1,
    padding: same(kernel),
    batchNorm: true,
    activation: act(opts.activation ?? 'relu'),
  };
}

export function globalAvgPool(name: string): AvgPoolLayer {
  return { name, op: 'avgPool', kernel: 'global' };
}

export function avgPool(name: string, kernel: number, stride: number): AvgPoolLayer {
  return { name, op: 'avgPool', kernel, stride };
}

/** Max pooling, k x k, stride s, padding p (padded positions never win). */
export function maxPool(name: string, kernel: number, stride: number, padding = 0): MaxPoolLayer {
  return { name, op: 'maxPool', kernel, stride, ...(padding > 0 ? { padding } : {}) };
}

/** The classifier: a dense layer with no batch norm and no activation. */
export function dense(name: string, outFeatures: number): DenseLayer {
  return { name, op: 'dense', outFeatures, activation: act('none') };
}

export function add(name: string, input: string, withLayer: string, activation: ActivationKind = 'none'): AddLayer {
  return { name, op: 'add', input, with: withLayer, activation: act(activation) };
}
