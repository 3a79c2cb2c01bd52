/**
 * The analytic path to a tally: a network file (weighted or architecture-
 * only) and a recipe in, every layer's operations counted from its shapes
 * (src/model inferShapes) and its operand widths (layerPrecision.ts).
 */
import { inferShapes, type FloatLayer, type FloatNetwork, type LayerShape } from '../model/index.ts';
import type { Recipe } from '../quant/index.ts';
import { type CostTable, DEFAULT_COST_TABLE } from './costTable.ts';
import { type ElementOp, type ActivationKind, requantizerOps, residualOps, poolOps, maxPoolOps } from './elementwise.ts';
import { type LayerPrecision, layerPrecisions } from './layerPrecision.ts';
import { type LayerTally, type NetworkTally, type OpCount, tallyLayer, tallyNetworkFromLayers } from './tally.ts';

/** Element ops times the number of output elements. */
export function perElementCounts(ops: readonly ElementOp[], elements: number): OpCount[] {
  return ops.map((o) => ({ category: o.category, op: o.op, count: o.perElement * elements }));
}

const activationOf = (l: FloatLayer): ActivationKind => (l.op === 'avgPool' || l.op === 'maxPool' ? 'none' : (l.activation?.kind ?? 'none'));

/** Operation counts of one layer of a network under a recipe. */
export function layerOpCounts(layer: FloatLayer, s: LayerShape, p: LayerPrecision, recipe: Recipe): OpCount[] {
  switch (layer.op) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense': {
      const mac: OpCount =
        recipe.mac === 'float'
          ? { category: 'mac', op: { kind: 'floatMac', format: 'fp32' }, count: s.macs }
          : { category: 'mac', op: { kind: 'mac', weight: p.weight!.width, activation: p.inputs[0]!.width, acc: p.acc!.width }, count: s.macs };
      const ew = requantizerOps({ acc: p.acc!, batchNorm: layer.batchNorm !== undefined, activation: activationOf(layer) }, recipe);
      return [mac, ...perElementCounts(ew, s.outputElements)];
    }
    case 'add':
      return perElementCounts(residualOps({ a: p.inputs[0]!, b: p.inputs[1]!, activation: activationOf(layer) }, recipe), s.outputElements);
    case 'avgPool': {
      const pad = layer.kernel === 'global' ? 0 : (layer.padding ?? 0);
      if (layer.kernel === 'global' || pad === 0) return perElementCounts(poolOps({ input: p.inputs[0]!, window: s.reductionDepth }, recipe), s.outputElements);
      // Padded: each output sums and divides by its own count of real inputs; cost every count for the outputs that have it.
      const perCount = paddedWindowCounts(s.input.height, s.input.width, layer.kernel, layer.stride ?? layer.kernel, pad);
      const scale = s.outputElements / s.output.height / s.output.width;
      return [...perCount].flatMap(([window, pixels]) => perElementCounts(poolOps({ input: p.inputs[0]!, window }, recipe), pixels * scale));
    }
    case 'maxPool':
      return perElementCounts(maxPoolOps({ input: p.inputs[0]!, window: s.reductionDepth }, recipe), s.outputElements);
  }
}

/** Output pixels per count of real inputs in a padded k x k window (count -> pixels), in increasing count. */
function paddedWindowCounts(h: number, w: number, k: number, stride: number, pad: number): Map<number, number> {
  const axis = (size: number): number[] => {
    const n = Math.floor((size + 2 * pad - k) / stride) + 1;
    return Array.from({ length: n }, (_, o) => Math.min(size, o * stride - pad + k) - Math.max(0, o * stride - pad));
  };
  const m = new Map<number, number>();
  for (const a of axis(h)) for (const b of axis(w)) m.set(a * b, (m.get(a * b) ?? 0) + 1);
  return new Map([...m].sort((x, y) => x[0] - y[0]));
}

function layerKind(layer: FloatLayer): string {
  if (layer.op === 'conv2d') return layer.kernel === 1 ? 'pointwise' : `conv${layer.kernel}x${layer.kernel}`;
  if (layer.op === 'depthwiseConv2d') return `depthwise${layer.kernel}x${layer.kernel}`;
  return layer.op;
}

/** Every layer's tally under `recipe`. */
export function tallyLayers(net: FloatNetwork, recipe: Recipe, table: CostTable = DEFAULT_COST_TABLE): LayerTally[] {
  const shapes = inferShapes(net).layers;
  const precisions = layerPrecisions(net, shapes, recipe);
  return net.layers.map((l, i) => tallyLayer(l.name, layerKind(l), layerOpCounts(l, shapes[i]!, precisions[i]!, recipe), table));
}

/** The network's tally under `recipe`: per layer, per category, totals. */
export function tallyNetwork(net: FloatNetwork, recipe: Recipe, table: CostTable = DEFAULT_COST_TABLE): NetworkTally {
  return tallyNetworkFromLayers(net.name, recipe.name, table, tallyLayers(net, recipe, table));
}
