/**
 * QuantNorm configuration: batch norm with quantized parameters, per lane
 * n = acc * M + B, exact (src/ref quantNorm). No rounding and no saturation
 * here: QuantNorm's 2^-S is applied by the requantizer that follows, and n
 * is as wide as its range needs. M is a multiplierBits-bit integer (unsigned
 * by default: src/quant folds a negative gamma into the channel's weights);
 * the offset B has the product's shape (docs/acev2.md's convention for an
 * offset), so the sum grows by exactly one bit.
 */
import { z } from 'zod';
import { BINARY_RULES, type Shape, shape, signed } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

export const quantNormSchema = z.strictObject({
  name: moduleName.default('quant_norm'),
  lanes: intIn(1, 16).default(1),
  accBits: intIn(2, 32).default(20),
  multiplierBits: intIn(2, 16).default(8),
  multiplierSigned: z.boolean('must be true or false').default(false),
});
export type QuantNormConfigInput = z.input<typeof quantNormSchema>;
export type QuantNormConfig = z.output<typeof quantNormSchema>;

export const DEFAULT_QUANT_NORM: QuantNormConfigInput = Object.freeze({ lanes: 4, accBits: 20, multiplierBits: 8 });

/** Register stages from the input handshake to out_valid (s0: acc * M, s1: + B); one transaction per cycle. */
export const QUANT_NORM_LATENCY = 2;

export interface QuantNormDerived {
  readonly config: QuantNormConfig;
  readonly latency: number;
  readonly acc: Shape;
  readonly multiplier: Shape;
  readonly product: Shape;
  readonly offset: Shape;
  readonly out: Shape;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveQuantNorm(c: QuantNormConfig): QuantNormDerived {
  const acc = signed(c.accBits);
  const multiplier = shape(c.multiplierBits, c.multiplierSigned);
  const product = BINARY_RULES.mul.shape(acc, multiplier);
  const out = BINARY_RULES.add.shape(product, product);
  return Object.freeze({
    config: c,
    latency: QUANT_NORM_LATENCY,
    acc,
    multiplier,
    product,
    offset: product,
    out,
    input: laneLayout(
      [
        { name: 'acc', shape: acc },
        { name: 'multiplier', shape: multiplier },
        { name: 'offset', shape: product },
      ],
      c.lanes,
    ),
    output: laneLayout([{ name: 'out', shape: out }], c.lanes),
  });
}
