/**
 * QuantNorm as a stream module: per lane n = acc * M + B, exact.
 * Latency 2 cycles (s0: product, s1: sum), one transaction per cycle.
 */
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { readLanes } from '../elementwise/laneLayout.ts';
import { type QuantNormConfig, deriveQuantNorm } from './config.ts';

export function generateQuantNorm(c: QuantNormConfig): Module {
  const d = deriveQuantNorm(c);
  const m = new Module(c.name, {
    generator: 'quant_norm',
    config: toJsonValue(c),
    description: `QuantNorm acc * M + B, ${c.lanes} lanes, 2 stages`,
  });
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  lanePipeline(m, inp, out, readLanes(m, d.input, inp.data), [
    stage(['acc', 'multiplier', 'offset'], (l) => ({ p: l.acc.mul(l.multiplier), offset: l.offset })),
    stage(['p', 'offset'], (l) => ({ out: l.p.add(l.offset) })),
  ]);
  return m;
}
