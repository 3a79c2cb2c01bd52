/**
 * Per-layer input/output H x W x C, MAC count and output element count of a
 * float network (weighted or architecture-only). The cost model builds on it.
 */
import type { FloatNetwork } from './network.ts';
import { walkNetwork, type LayerShape } from './networkRules.ts';
import { ModelError, formatPath } from './formatIssues.ts';

export interface NetworkShapes {
  readonly layers: readonly LayerShape[];
  readonly totalMacs: number;
  /** Shape of the last layer's output: the network output. */
  readonly output: LayerShape['output'];
}

/** Shapes of every layer. Throws ModelError (with JSON paths) if the network
 *  breaks a rule, e.g. a kernel larger than its input. */
export function inferShapes(net: FloatNetwork): NetworkShapes {
  const { shapes, issues } = walkNetwork(net);
  if (issues.length > 0) throw new ModelError(`network "${net.name}"`, issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  return Object.freeze({
    layers: Object.freeze(shapes),
    totalMacs: shapes.reduce((s, l) => s + l.macs, 0),
    output: shapes[shapes.length - 1]!.output,
  });
}
