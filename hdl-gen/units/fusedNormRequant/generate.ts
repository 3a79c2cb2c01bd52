/**
 * The fused QuantNorm + requantizer as a stream module: per lane
 * q = saturate(roundShift(acc * M' + B', S, rounding), out), one multiply and
 * one add instead of QuantNorm's multiply and add plus the requantizer's
 * multiply. Latency 4 cycles (multiply | add | round | saturate), one
 * transaction per cycle; the unfused pair takes 2 + 4 = 6.
 */
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { readLanes } from '../elementwise/laneLayout.ts';
import { type FusedNormRequantConfig, deriveFusedNormRequant } from './config.ts';

export function generateFusedNormRequant(c: FusedNormRequantConfig): Module {
  const d = deriveFusedNormRequant(c);
  const m = new Module(c.name, {
    generator: 'fused_norm_requant',
    config: toJsonValue(c),
    description: `fused QuantNorm + requantizer saturate(roundShift(acc * M' + B', ${c.shift})), ${c.lanes} lanes, 4 stages`,
  });
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  lanePipeline(m, inp, out, readLanes(m, d.input, inp.data), [
    stage(['acc', 'multiplier', 'offset'], (l) => ({ p: l.acc.mul(l.multiplier), offset: l.offset })),
    stage(['p', 'offset'], (l) => ({ n: l.p.add(l.offset) })),
    stage(['n'], (l) => ({ r: l.n.roundShift(c.shift, c.rounding) })),
    stage(['r'], (l) => ({ out: l.r.saturate(d.out) })),
  ]);
  return m;
}
