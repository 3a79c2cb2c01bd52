/**
 * ACEv2 per inference two ways: the analytic tally of the float network under
 * its recipe (src/cost), and the same tally with each layer's MAC count and
 * output-element count taken from the accelerator's activity counters. They
 * are equal exactly when the hardware did every useful MAC and wrote every
 * output element once.
 */
import { DEFAULT_COST_TABLE, layerOpCounts, layerPrecisions, tallyLayer, tallyNetwork } from '../cost/index.ts';
import { type FloatNetwork, inferShapes } from '../model/index.ts';
import type { Recipe } from '../quant/index.ts';

export interface LayerActivity {
  readonly name: string;
  readonly macs: number;
  readonly outputElements: number;
}

export function analyticAcev2(net: FloatNetwork, recipe: Recipe): number {
  return tallyNetwork(net, recipe).acev2;
}

export function activityAcev2(net: FloatNetwork, recipe: Recipe, activity: readonly LayerActivity[]): number {
  const shapes = inferShapes(net).layers;
  const precisions = layerPrecisions(net, shapes, recipe);
  let total = 0;
  net.layers.forEach((l, i) => {
    const a = activity.find((x) => x.name === l.name);
    if (a === undefined) throw new Error(`ACEv2 from activity: layer "${l.name}" has no activity counters`);
    const s = { ...shapes[i]!, macs: a.macs, outputElements: a.outputElements };
    total += tallyLayer(l.name, l.op, layerOpCounts(l, s, precisions[i]!, recipe), DEFAULT_COST_TABLE).acev2;
  });
  return total;
}
