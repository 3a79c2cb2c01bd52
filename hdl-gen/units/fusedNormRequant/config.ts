/**
 * Fused QuantNorm + double-quantized requantizer configuration.
 *
 * Unfused, per lane: n = acc * M + B (QuantNorm, exact), then
 * q = saturate(roundShift(n * Q, S, rounding), out). QuantNorm neither rounds
 * nor saturates, so n * Q = acc * (M * Q) + B * Q exactly, and the pair folds
 * into one multiply and one add with M' = M * Q and B' = B * Q computed
 * offline (pack.ts foldNormScale) -- src/ref's requantize(acc, M', B', S).
 * The fold is exact for every input; it would not be if n were rounded or
 * saturated to a narrower width between the two stages.
 *
 * The folded multiplier is multiplierBits + scaleBits wide and the folded
 * offset has the folded product's shape; the widths of n' = acc * M' + B'
 * equal the unfused n * Q, so rounding and saturation see identical values.
 */
import { z } from 'zod';
import { BINARY_RULES, ROUNDING_MODES, type RoundingMode, type Shape, roundShiftShape, shape, signed, unsigned } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

const bool = z.boolean('must be true or false');

export const fusedNormRequantSchema = z.strictObject({
  name: moduleName.default('fused_norm_requant'),
  lanes: intIn(1, 16).default(1),
  accBits: intIn(2, 32).default(20),
  multiplierBits: intIn(2, 16).default(8),
  multiplierSigned: bool.default(false),
  scaleBits: intIn(2, 16).default(8),
  shift: intIn(0, 96).default(20),
  rounding: z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`).default('rnu'),
  outBits: intIn(2, 8).default(8),
  outSigned: bool.default(true),
});
export type FusedNormRequantConfigInput = z.input<typeof fusedNormRequantSchema>;
export type FusedNormRequantConfig = z.output<typeof fusedNormRequantSchema>;

export const DEFAULT_FUSED_NORM_REQUANT: FusedNormRequantConfigInput = Object.freeze({ lanes: 4, accBits: 20, multiplierBits: 8, scaleBits: 8, shift: 20 });

/** s0: acc * M', s1: + B', s2: roundShift, s3: saturate; one transaction per cycle. */
export const FUSED_NORM_REQUANT_LATENCY = 4;

export interface FusedNormRequantDerived {
  readonly config: FusedNormRequantConfig;
  readonly latency: number;
  readonly acc: Shape;
  /** QuantNorm's M and B, and the double-quantized Q, before folding. */
  readonly multiplier: Shape;
  readonly offset: Shape;
  readonly scale: Shape;
  /** M' = M * Q and B' = B * Q. */
  readonly foldedMultiplier: Shape;
  readonly foldedOffset: Shape;
  readonly product: Shape;
  readonly sum: Shape;
  readonly rounded: Shape;
  readonly out: Shape;
  readonly mode: RoundingMode;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveFusedNormRequant(c: FusedNormRequantConfig): FusedNormRequantDerived {
  const acc = signed(c.accBits);
  const multiplier = shape(c.multiplierBits, c.multiplierSigned);
  const offset = BINARY_RULES.mul.shape(acc, multiplier);
  const scale = unsigned(c.scaleBits);
  const foldedMultiplier = BINARY_RULES.mul.shape(multiplier, scale);
  const foldedOffset = BINARY_RULES.mul.shape(offset, scale);
  const product = BINARY_RULES.mul.shape(acc, foldedMultiplier);
  const sum = BINARY_RULES.add.shape(product, foldedOffset);
  const out = shape(c.outBits, c.outSigned);
  return Object.freeze({
    config: c,
    latency: FUSED_NORM_REQUANT_LATENCY,
    acc,
    multiplier,
    offset,
    scale,
    foldedMultiplier,
    foldedOffset,
    product,
    sum,
    rounded: roundShiftShape(sum, c.shift, c.rounding),
    out,
    mode: c.rounding,
    input: laneLayout(
      [
        { name: 'acc', shape: acc },
        { name: 'multiplier', shape: foldedMultiplier },
        { name: 'offset', shape: foldedOffset },
      ],
      c.lanes,
    ),
    output: laneLayout([{ name: 'out', shape: out }], c.lanes),
  });
}
