/**
 * The residual adder as a stream module: per lane
 * saturate(roundShift(x1 * A1 + x2 * A2, S, rounding), out).
 * Latency 4 cycles (products | sum | round | saturate), one transaction per cycle.
 */
import { type Expr, constant } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { type LaneExprs, readLanes } from '../elementwise/laneLayout.ts';
import { type ResidualConfig, deriveResidual } from './config.ts';

export function generateResidual(c: ResidualConfig): Module {
  const d = deriveResidual(c);
  const m = new Module(c.name, {
    generator: 'residual_add',
    config: toJsonValue(c),
    description: `residual add of two rescaled tensors, ${c.lanes} lanes, 4 stages`,
  });
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  // Per-tensor scales are constants; otherwise each lane carries scaleA and scaleB (the layout has them exactly then).
  const scale = (l: LaneExprs, k: 'a' | 'b'): Expr =>
    c.tensorScales === undefined ? l[k === 'a' ? 'scaleA' : 'scaleB']! : constant(c.tensorScales[k], d.scale);
  lanePipeline(m, inp, out, readLanes(m, d.input, inp.data), [
    stage(['a', 'b'], (l) => ({ pa: l.a.mul(scale(l, 'a')), pb: l.b.mul(scale(l, 'b')) })),
    stage(['pa', 'pb'], (l) => ({ s: l.pa.add(l.pb) })),
    stage(['s'], (l) => ({ r: l.s.roundShift(c.shift, c.rounding) })),
    stage(['r'], (l) => ({ out: l.r.saturate(d.out) })),
  ]);
  return m;
}
