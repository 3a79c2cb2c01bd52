/**
 * One processing element of the output-stationary MAC array: a product
 * register (the multiply stage), an accumulator (the add stage) and the
 * register that holds the finished value while the next tile accumulates
 * (double buffering, so draining a tile never stalls the array).
 */
import { unsigned } from '../../../src/arith/index.ts';
import { type Expr, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import type { MacArrayConfig, MacArrayShapes } from './config.ts';

/** weight x activation from the raw bits, per the weight encoding; no multiplier for binary and ternary. */
function product(c: MacArrayConfig, s: MacArrayShapes, w: Expr, xBits: Expr): Expr {
  const x = c.activationSigned ? xBits.asSigned() : xBits;
  let p: Expr;
  switch (c.weightKind) {
    case 'int':
      p = x.mul(c.weightSigned ? w.asSigned() : w);
      break;
    case 'binary':
      p = mux(w, x.neg(), x);
      break;
    case 'ternary':
      p = mux(w.bit(0), mux(w.bit(1), x.neg(), x), constant(0, unsigned(1)));
      break;
  }
  // The operator widths are a bound; the product's range is exact (s.product),
  // so this resize drops only copies of the sign bit.
  return p.resize(s.product);
}

export function macPe(c: MacArrayConfig, s: MacArrayShapes): Module {
  const m = new Module(`${c.name}_pe`, {
    generator: 'mac_array',
    config: c,
    description: `MAC array PE: ${c.weightKind} weight x ${c.activationSigned ? 's' : 'u'}${c.activationBits} activation, ${c.depth}-step accumulator`,
  });
  const weight = m.input('weight', unsigned(c.weightBits));
  const act = m.input('act', unsigned(c.activationBits));
  const load = m.input('load', unsigned(1));
  const step = m.input('step', unsigned(1));
  const result = m.output('result', s.acc);

  const prod = m.reg('prod', s.product, { reset: 'none' });
  m.update(prod, product(c, s, weight, act), { enable: load });
  const start = prod.resize(s.acc);

  let sum: Expr;
  let finish: Expr;
  if (c.depth === 1) {
    // Every step is a whole tile: no accumulator at all.
    sum = start;
    finish = step;
  } else {
    const first = m.input('first', unsigned(1));
    const last = m.input('last', unsigned(1));
    const acc = m.reg('acc', s.acc, { reset: 'none' });
    // accumulatorShape proves depth terms fit, so the grown sum resizes exactly.
    sum = m.wire('sum', mux(first, start, acc.add(prod).resize(s.acc)));
    m.update(acc, sum, { enable: step });
    finish = step.and(last);
  }
  const held = m.reg('held', s.acc, { reset: 'none' });
  m.update(held, sum, { enable: finish });
  m.assign(result, held);
  return m;
}
