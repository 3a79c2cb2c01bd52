/**
 * Resolve every tensor's width from the network file and the recipe.
 * `activationBits` of a layer is the width of its INPUT; a tensor's width is
 * therefore set by the layers that read it, which must agree. Average pooling
 * passes its input tensor through unchanged. The last layer's output is
 * `outputBits` (layer field, else the recipe's). The recipe's `edgeLayers`
 * widths apply to the first and the last weighted layer unless the file says.
 */
import type { FloatNetwork, FloatLayer } from '../model/index.ts';
import { ModelError, walkNetwork } from '../model/index.ts';
import type { Recipe } from './recipes.ts';

export interface LayerPrecision {
  /** Weight bits (weighted layers; 0 otherwise). */
  readonly weightBits: number;
  /** Width of the tensor this layer reads (its MAC operand). */
  readonly inputBits: number;
  /** Width of the tensor this layer produces. */
  readonly outputBits: number;
}

export interface NetworkPrecision {
  readonly inputBits: number;
  readonly layers: readonly LayerPrecision[];
}

/** Pools keep their input tensor, so their input width is their output width. */
const isPool = (l: FloatLayer): boolean => l.op === 'avgPool' || l.op === 'maxPool';
const isWeighted = (l: FloatLayer): boolean => l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense';

export function resolvePrecision(net: FloatNetwork, recipe: Recipe): NetworkPrecision {
  const { shapes } = walkNetwork(net);
  const weightedIdx = net.layers.map((l, i) => (isWeighted(l) ? i : -1)).filter((i) => i >= 0);
  const edges = new Set(recipe.edgeLayers ? [weightedIdx[0], weightedIdx[weightedIdx.length - 1]] : []);
  const n = net.layers.length;
  const problems: string[] = [];
  // Declared (or recipe) input widths of weighted layers and adds; pools are resolved below.
  const declaredIn = net.layers.map((l, i): number | undefined => {
    if (l.activationBits !== undefined) return l.activationBits;
    if (isPool(l)) return undefined;
    return edges.has(i) ? recipe.edgeLayers!.activationBits : recipe.activationBits;
  });
  const outBits = new Array<number | undefined>(n).fill(undefined);
  let inputBits: number | undefined;
  // Walk backwards: a tensor's width is what its readers declare.
  const readersOf = (name: string): number[] => shapes.filter((s) => s.inputs.includes(name)).map((s) => s.index);
  const widthOf = (name: string, who: string): number | undefined => {
    let w: number | undefined;
    for (const r of readersOf(name)) {
      const rw = isPool(net.layers[r]!) ? (declaredIn[r] ?? outBits[r]) : declaredIn[r];
      if (rw === undefined) continue;
      if (w !== undefined && w !== rw) {
        problems.push(`layers[${r}].activationBits: ${rw} bits disagrees with another reader of ${who} (${w} bits): a tensor has one width`);
      }
      w ??= rw;
    }
    return w;
  };
  for (let i = n - 1; i >= 0; i--) {
    const l = net.layers[i]!;
    outBits[i] = widthOf(l.name, `"${l.name}"`) ?? l.outputBits ?? recipe.outputBits;
    if (isPool(l)) {
      if (declaredIn[i] !== undefined && declaredIn[i] !== outBits[i]) {
        problems.push(`layers[${i}].activationBits: ${l.op === 'maxPool' ? 'max' : 'average'} pooling keeps its input width, but its readers need ${outBits[i]} bits`);
      }
      declaredIn[i] = outBits[i];
    }
  }
  inputBits = widthOf('input', 'the network input') ?? recipe.activationBits;
  if (problems.length > 0) throw new ModelError(`network "${net.name}"`, problems);
  return {
    inputBits,
    layers: net.layers.map((l, i) => ({
      weightBits: isWeighted(l) ? ((l as { weightBits?: number }).weightBits ?? (edges.has(i) ? recipe.edgeLayers!.weightBits : recipe.weightBits)) : 0,
      inputBits: declaredIn[i]!,
      outputBits: outBits[i]!,
    })),
  };
}
