/**
 * The activation unit as a stream module.
 * relu / clippedRelu: one register stage (a clamp), latency 1.
 * prelu: s0 x * P | s1 sign select and rounding shift | s2 saturate; latency 3.
 * One transaction per cycle in every kind.
 */
import { maxOf } from '../../../src/arith/index.ts';
import { mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { type StageFn, lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { readLanes } from '../elementwise/laneLayout.ts';
import { type ActivationConfig, deriveActivation } from './config.ts';

export function generateActivation(c: ActivationConfig): Module {
  const d = deriveActivation(c);
  const m = new Module(c.name, {
    generator: 'activation',
    config: toJsonValue(c),
    description: `${c.kind} activation, ${c.lanes} lanes, ${d.latency} stage${d.latency === 1 ? '' : 's'}`,
  });
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  let stages: StageFn[];
  if (c.kind === 'prelu') {
    stages = [
      stage(['x', 'slope'], (l) => ({ x: l.x, p: l.x.mul(l.slope) })),
      stage(['x', 'p'], (l) => {
        const negative = l.x.bit(l.x.shape.width - 1); // a sign test: no comparator
        return { y: mux(negative, l.p.roundShift(c.slopeShift, c.rounding), l.x) };
      }),
      stage(['y'], (l) => ({ out: l.y.saturate(d.out) })),
    ];
  } else {
    const hi = c.kind === 'clippedRelu' ? BigInt(c.clipHigh!) : maxOf(d.out);
    stages = [stage(['x'], (l) => ({ out: l.x.clamp(0, hi).resize(d.out) }))];
  }
  lanePipeline(m, inp, out, readLanes(m, d.input, inp.data), stages);
  return m;
}
