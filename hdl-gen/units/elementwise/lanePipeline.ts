/**
 * A valid/ready pipeline of register stages applied to every lane alike.
 *
 * Stage i holds a valid bit and, per lane, the fields its stage function
 * returned. A stage loads when it is empty or its content leaves this cycle
 * (ready_i = !valid_i | ready_{i+1}), so the pipeline moves one transaction
 * per cycle when the output is ready, and when out_ready is low every full
 * stage keeps its content: nothing is lost, duplicated or reordered, and a
 * stall never overwrites a held value. The ready path is combinational
 * through all stages (short pipelines; put a skid buffer in front for long
 * ones). Latency: one cycle per stage from the input handshake to out_valid.
 */
import { unsigned } from '../../../src/arith/index.ts';
import { DslError } from '../../dsl/dslError.ts';
import { type Expr, cat } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';
import type { Stream } from '../../dsl/moduleTypes.ts';
import { type LaneExprs, hasFields } from './laneLayout.ts';

/** Maps one lane's fields at the previous stage to the fields registered at this one. */
export type StageFn = (prev: LaneExprs, lane: number) => LaneExprs;

/**
 * A stage whose fields are typed: `stage(['acc', 'bias'], (l) => ({ n: l.acc.add(l.bias) }))`
 * reads `l.acc` as an Expr (no `!`); the fields it needs are checked when the
 * pipeline is built (a DslError names the missing ones). Fields a stage only
 * sometimes gets stay readable as `l['scale']` (Expr | undefined).
 */
export function stage<I extends string>(needs: readonly I[], f: (prev: LaneExprs & LaneExprs<I>, lane: number) => LaneExprs): StageFn {
  return (prev, lane) => {
    if (!hasFields(prev, needs)) {
      const missing = needs.filter((n) => prev[n] === undefined);
      throw new DslError(`lanePipeline: a stage needs lane field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the stage before it gives ${Object.keys(prev).join(', ')}`);
    }
    return f(prev, lane);
  };
}

/**
 * Builds the stages; the last stage must return a single field `out`, whose
 * lanes are concatenated (lane 0 low) into `output.data`.
 */
export function lanePipeline(m: Module, input: Stream, output: Stream, lanes: readonly LaneExprs[], stages: readonly StageFn[]): void {
  const n = stages.length;
  if (n === 0) throw new DslError(`module ${m.name}: lanePipeline needs at least one stage`);
  const valid = stages.map((_, i) => m.reg(`s${i}_valid`, unsigned(1), { reset: 0 }));
  const ready = stages.map((_, i) => m.wire(`s${i}_ready`, unsigned(1)));
  for (let i = 0; i < n; i++) {
    m.assign(ready[i]!, valid[i]!.not().or(i + 1 < n ? ready[i + 1]! : output.ready));
    m.update(valid[i]!, i === 0 ? input.valid : valid[i - 1]!, { enable: ready[i]! });
  }
  m.assign(input.ready, ready[0]!);
  let prev = lanes;
  for (let i = 0; i < n; i++) {
    // Data registers need no reset: they are only read while their valid bit is 1.
    const load = m.wire(`s${i}_load`, ready[i]!.and(i === 0 ? input.valid : valid[i - 1]!));
    prev = prev.map((fields, lane) => {
      const next = stages[i]!(fields, lane);
      const regs: Record<string, Expr> = {};
      for (const [k, e] of Object.entries(next)) {
        const r = m.reg(`s${i}_l${lane}_${k}`, e.shape, { reset: 'none' });
        m.update(r, e, { enable: load });
        regs[k] = r;
      }
      return regs;
    });
  }
  m.assign(output.valid, valid[n - 1]!);
  const outs = prev.map((f, lane) => {
    const o = f['out'];
    if (o === undefined || Object.keys(f).length !== 1) {
      throw new DslError(`module ${m.name}: lanePipeline's last stage must return exactly one field "out" (lane ${lane} has ${Object.keys(f).join(', ')})`);
    }
    return o.asUnsigned();
  });
  const word = outs.length === 1 ? outs[0]! : cat(...[...outs].reverse());
  if (word.shape.width !== output.data.shape.width) {
    throw new DslError(`module ${m.name}: lanePipeline output lanes are ${word.shape.width} bits, out_data is ${output.data.shape.width}`);
  }
  m.assign(output.data, word.shape.signed === output.data.shape.signed ? word : word.asUnsigned());
}
