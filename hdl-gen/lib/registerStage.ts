/**
 * One pipeline register between a stream input and a stream output:
 * out_data <= f(in_data) on each accepted input. Full throughput, and no
 * transaction lost or duplicated: the input is accepted only when the output
 * register is empty or being emptied this cycle.
 */
import { unsigned } from '../../src/arith/index.ts';
import type { Expr } from '../dsl/expr.ts';
import type { Module } from '../dsl/module.ts';
import type { Stream } from '../dsl/moduleTypes.ts';

export function registerStage(m: Module, input: Stream, output: Stream, data: Expr, name = 'stage'): void {
  const valid = m.reg(`${name}_valid`, unsigned(1), { reset: 0 });
  // Data needs no reset: it is only looked at while valid is 1.
  const held = m.reg(`${name}_data`, output.data.shape, { reset: 'none' });
  const ready = m.wire(`${name}_ready`, valid.not().or(output.ready));
  m.assign(input.ready, ready);
  m.update(valid, input.valid, { enable: ready });
  m.update(held, data, { enable: ready.and(input.valid) });
  m.assign(output.valid, valid);
  m.assign(output.data, held);
}
