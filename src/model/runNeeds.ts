/**
 * What one reference run of a (validated) network needs, from its shapes
 * alone: computed before any tensor is allocated (see limits.ts).
 */
import type { FloatNetwork } from './network.ts';
import type { IntNetwork } from './intNetwork.ts';
import { walkNetwork } from './networkRules.ts';
import { walkIntNetwork } from './intNetworkRules.ts';
import type { RunNeeds } from './limits.ts';

export function floatRunNeeds(net: FloatNetwork): RunNeeds {
  const { shapes } = walkNetwork(net);
  const input = net.input.height * net.input.width * net.input.channels;
  return {
    activationElements: shapes.reduce((s, l) => s + l.outputElements, input),
    macs: shapes.reduce((s, l) => s + l.macs, 0),
  };
}

export function intRunNeeds(net: IntNetwork): RunNeeds {
  const { shapes } = walkIntNetwork(net);
  const input = net.input.height * net.input.width * net.input.channels;
  let elements = input;
  let macs = 0;
  for (const s of shapes) {
    const n = s.output.height * s.output.width * s.output.channels;
    // runInt holds each output (int32) and, for weighted layers, a float64 accumulator of the same size.
    elements += 2 * n;
    macs += n * s.reductionDepth;
  }
  return { activationElements: elements, macs };
}
