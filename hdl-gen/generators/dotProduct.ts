/**
 * dot_product: N lanes of a-bit activations times w-bit weights, summed by a
 * balanced adder tree into the exact accumulator (accumulatorShape: no input
 * can overflow it, and it is no wider than needed), then one register stage.
 *
 * in_data packs activations in the low N*a bits (lane i at [i*a +: a]) and
 * weights above them (lane i at [N*a + i*w +: w]); out_data is the sum.
 */
import { z } from 'zod';
import { accumulatorShape, rangeOf, shape, unsigned } from '../../src/arith/index.ts';
import { bus } from '../dsl/busShape.ts';
import type { Expr } from '../dsl/expr.ts';
import { Module } from '../dsl/module.ts';
import { registerStage } from '../lib/registerStage.ts';
import { sum } from '../lib/sum.ts';
import { intIn, moduleName } from './configFields.ts';
import { defineGenerator } from './defineGenerator.ts';
import { skidBuffer } from './skidBuffer.ts';

export const dotProductConfig = z.strictObject({
  name: moduleName.default('dot_product'),
  lanes: intIn(1, 256).default(16),
  weightBits: intIn(1, 32).default(4),
  weightSigned: z.boolean('must be true or false').default(true),
  activationBits: intIn(1, 32).default(4),
  activationSigned: z.boolean('must be true or false').default(false),
  /** Put a skid_buffer instance after the register stage (registered in_ready). */
  outputSkid: z.boolean('must be true or false').default(false),
});
export type DotProductConfig = z.output<typeof dotProductConfig>;

export function dotProduct(c: DotProductConfig): Module {
  const n = c.lanes;
  const aShape = shape(c.activationBits, c.activationSigned);
  const wShape = shape(c.weightBits, c.weightSigned);
  const acc = accumulatorShape(rangeOf(wShape), rangeOf(aShape), n);
  const m = new Module(c.name, {
    generator: 'dot_product',
    config: c,
    description: `sum of ${n} products of activations times weights, exact accumulator, one register stage`,
  });
  const inp = m.streamIn('in', bus(n * (c.activationBits + c.weightBits)));
  const out = m.streamOut('out', acc);
  const field = (lo: number, s: typeof aShape): Expr => {
    const bits = inp.data.slice(lo + s.width - 1, lo);
    return s.signed ? bits.asSigned() : bits;
  };
  const products: Expr[] = [];
  for (let i = 0; i < n; i++) {
    const x = m.wire(`act${i}`, field(i * c.activationBits, aShape));
    const w = m.wire(`weight${i}`, field(n * c.activationBits + i * c.weightBits, wShape));
    products.push(x.mul(w));
  }
  // The tree grows a bit per level; the exact range is narrower, so this
  // resize only drops bits that are copies of the sign (accumulatorShape
  // proves the sum fits).
  const total = m.wire('total', sum(products).resize(acc));
  if (!c.outputSkid) {
    registerStage(m, inp, out, total);
    return m;
  }
  // Register stage into an internal stream, then a skid buffer to the port.
  const mid = { valid: m.wire('mid_valid', unsigned(1)), ready: m.wire('mid_ready', unsigned(1)), data: m.wire('mid_data', acc) };
  registerStage(m, inp, mid, total);
  const skid = m.instance('out_skid', skidBuffer({ name: `${c.name}_skid`, width: acc.width }), {
    in_valid: mid.valid,
    in_data: mid.data.asUnsigned(),
    out_ready: out.ready,
  });
  m.assign(mid.ready, skid.out('in_ready'));
  m.assign(out.valid, skid.out('out_valid'));
  m.assign(out.data, acc.signed ? skid.out('out_data').asSigned() : skid.out('out_data'));
  return m;
}

export const dotProductGenerator = defineGenerator({
  name: 'dot_product',
  description: 'N-lane dot product with an exact accumulator and one register stage (valid/ready stream)',
  schema: dotProductConfig,
  defaultConfig: { lanes: 16, weightBits: 4, weightSigned: true, activationBits: 4, activationSigned: false },
  lintPoints: [
    { lanes: 1, weightBits: 1, weightSigned: false, activationBits: 1, activationSigned: false },
    { lanes: 1, weightBits: 1, weightSigned: true, activationBits: 1, activationSigned: true },
    { lanes: 3, weightBits: 8, weightSigned: true, activationBits: 8, activationSigned: true },
    { lanes: 16, weightBits: 4, weightSigned: true, activationBits: 4, activationSigned: false },
    { lanes: 7, weightBits: 2, weightSigned: false, activationBits: 3, activationSigned: true },
    { lanes: 64, weightBits: 8, weightSigned: true, activationBits: 8, activationSigned: false },
    { name: 'dot_product_skid', lanes: 4, weightBits: 4, weightSigned: true, activationBits: 4, activationSigned: false, outputSkid: true },
  ],
  generate: dotProduct,
});
