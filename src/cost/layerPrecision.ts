/**
 * The operand shapes of every layer under a recipe: weight and input widths
 * (a layer's own fields win, then the recipe's edge-layer widths for the
 * first and last weighted layer, then the recipe's default), signedness
 * (after ReLU/ReLU6 a tensor is unsigned; after none/PReLU signed; a pool
 * keeps its input's), output widths (what the consumers read, or the recipe's
 * output width for the network output) and the exact accumulator shape
 * (src/arith accumulatorShape).
 */
import { type Shape, shape, signed, rangeOf, accumulatorShape } from '../arith/index.ts';
import type { FloatLayer, FloatNetwork, LayerShape } from '../model/index.ts';
import type { Recipe } from '../quant/index.ts';

export interface LayerPrecision {
  readonly name: string;
  /** Shapes of the tensors read (two for add). */
  readonly inputs: readonly Shape[];
  readonly output: Shape;
  /** conv2d / depthwiseConv2d / dense only. */
  readonly weight?: Shape;
  readonly acc?: Shape;
}

const isWeighted = (l: FloatLayer): boolean => l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense';

function outputSigned(l: FloatLayer, inputSigned: boolean): boolean {
  if (l.op === 'avgPool' || l.op === 'maxPool') return inputSigned;
  const kind = l.activation?.kind ?? 'none';
  return !(kind === 'relu' || kind === 'relu6');
}

export function layerPrecisions(net: FloatNetwork, shapes: readonly LayerShape[], recipe: Recipe): LayerPrecision[] {
  const weighted = net.layers.map((l, i) => (isWeighted(l) ? i : -1)).filter((i) => i >= 0);
  const edges = new Set(recipe.edgeLayers ? [weighted[0], weighted[weighted.length - 1]] : []);
  const inputBits = net.layers.map((l, i) => l.activationBits ?? (edges.has(i) ? recipe.edgeLayers!.activationBits : recipe.activationBits));
  const weightBits = net.layers.map((l, i) =>
    isWeighted(l) ? ((l as { weightBits?: number }).weightBits ?? (edges.has(i) ? recipe.edgeLayers!.weightBits : recipe.weightBits)) : 0,
  );
  // Output width: the widest reader's input width (readers of one tensor
  // should agree); the network output keeps the layer's or recipe's width.
  const readersBits = new Map<string, number>();
  shapes.forEach((s, i) => {
    for (const src of s.inputs) readersBits.set(src, Math.max(readersBits.get(src) ?? 0, inputBits[i]!));
  });
  const signedOut = new Map<string, boolean>([['input', (net.input.range?.min ?? 0) < 0]]);
  return net.layers.map((l, i) => {
    const s = shapes[i]!;
    const inputs = s.inputs.map((src) => shape(inputBits[i]!, signedOut.get(src) ?? true));
    const isSigned = outputSigned(l, inputs[0]!.signed);
    signedOut.set(l.name, isSigned);
    const outBits = readersBits.get(l.name) ?? l.outputBits ?? recipe.outputBits;
    const base = { name: l.name, inputs, output: shape(outBits, isSigned) };
    if (!isWeighted(l)) return base;
    const weight = signed(weightBits[i]!);
    return { ...base, weight, acc: accumulatorShape(rangeOf(weight), rangeOf(inputs[0]!), s.reductionDepth) };
  });
}
