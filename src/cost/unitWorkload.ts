/**
 * The analytic tally of a single hardware unit's workload, for comparing
 * with the unit's operator inventory x simulated activity (inventory.ts):
 * e.g. "16 dot products of depth 64, 4-bit signed weights by 4-bit unsigned
 * activations, then a requantizer over the 16 results, under pikelpn".
 * Same counting rules as the network path (elementwise.ts), same widths
 * (src/arith), same tally structure.
 */
import { type Range, type Shape, accumulatorShape, rangeOf } from '../arith/index.ts';
import type { Recipe } from '../quant/index.ts';
import { type CostTable, DEFAULT_COST_TABLE } from './costTable.ts';
import { type ActivationKind, activationOps, maxPoolOps, poolOps, requantizerOps, rescaleOps, residualOps } from './elementwise.ts';
import { perElementCounts } from './analyticTally.ts';
import { type LayerTally, type OpCount, TallyError, tallyLayer } from './tally.ts';

export type Workload =
  /**
   * `outputs` dot products of `depth` terms each. `weight` is the weights'
   * encoding (its width is the MAC's weight width); `weightRange`, when the
   * encoding is not a plain integer of that shape (binary +-1 in 1 bit,
   * ternary -1/0/+1 in 2), is the values the weights take, from which the
   * accumulator is derived (accumulatorShape), as the hardware derives it.
   */
  | {
      readonly kind: 'dot';
      readonly outputs: number;
      readonly depth: number;
      readonly weight: Shape;
      readonly weightRange?: Range;
      readonly activation: Shape;
    }
  /** The stages after an accumulator, over `elements` values (channels x elements per channel). */
  | {
      readonly kind: 'requantizer';
      readonly elements: number;
      readonly acc: Shape;
      readonly batchNorm: boolean;
      readonly activation: ActivationKind;
      readonly shift?: number;
      readonly preluShift?: number;
      readonly fused?: boolean;
      readonly outputZeroPoint?: number;
      readonly out?: Range;
    }
  /** Double Quantization's rescale alone (after a separate QuantNorm, or with a bias). */
  | { readonly kind: 'rescale'; readonly elements: number; readonly input: Shape; readonly bias: boolean; readonly shift: number; readonly out?: Range }
  /** An activation followed by the clamp to the output. */
  | { readonly kind: 'activation'; readonly elements: number; readonly input: Shape; readonly activation: ActivationKind; readonly preluShift?: number; readonly out?: Range }
  | {
      readonly kind: 'residual';
      readonly elements: number;
      readonly a: Shape;
      readonly b: Shape;
      readonly activation: ActivationKind;
      readonly shift?: number;
      readonly preluShift?: number;
      readonly out?: Range;
    }
  | { readonly kind: 'pool'; readonly outputs: number; readonly window: number; readonly input: Shape }
  /** `outputs` maxima of `window` values each (per channel: outputs counts channels too). */
  | { readonly kind: 'maxPool'; readonly outputs: number; readonly window: number; readonly input: Shape };

function checkCount(n: number, field: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TallyError(`workload: ${field} ${String(n)} is invalid: expected a non-negative integer`);
}

/** Operation counts of one workload under a recipe. */
export function workloadCounts(w: Workload, recipe: Recipe): OpCount[] {
  switch (w.kind) {
    case 'dot': {
      checkCount(w.outputs, 'outputs');
      checkCount(w.depth, 'depth');
      const macs = w.outputs * w.depth;
      if (recipe.mac === 'float') return [{ category: 'mac', op: { kind: 'floatMac', format: 'fp32' }, count: macs }];
      const acc = accumulatorShape(w.weightRange ?? rangeOf(w.weight), rangeOf(w.activation), w.depth);
      return [{ category: 'mac', op: { kind: 'mac', weight: w.weight.width, activation: w.activation.width, acc: acc.width }, count: macs }];
    }
    case 'requantizer': {
      checkCount(w.elements, 'elements');
      const { kind: _k, elements: _e, ...rw } = w;
      return perElementCounts(requantizerOps(rw, recipe), w.elements);
    }
    case 'rescale':
      checkCount(w.elements, 'elements');
      return perElementCounts(rescaleOps(w, recipe), w.elements);
    case 'activation':
      checkCount(w.elements, 'elements');
      return perElementCounts(activationOps(w, recipe), w.elements);
    case 'residual':
      checkCount(w.elements, 'elements');
      return perElementCounts(residualOps(w, recipe), w.elements);
    case 'pool':
      checkCount(w.outputs, 'outputs');
      return perElementCounts(poolOps(w, recipe), w.outputs);
    case 'maxPool':
      checkCount(w.outputs, 'outputs');
      return perElementCounts(maxPoolOps(w, recipe), w.outputs);
  }
}

/** The tally of a unit that performed these workloads. */
export function tallyWorkloads(unit: string, workloads: readonly Workload[], recipe: Recipe, table: CostTable = DEFAULT_COST_TABLE): LayerTally {
  return tallyLayer(unit, 'unit', workloads.flatMap((w) => workloadCounts(w, recipe)), table);
}
