/**
 * Residual adder configuration: two quantized tensors at different scales,
 * each brought to a common scale by an unsigned scaleBits-bit multiplier
 * (Double Quantization), summed, rounded and saturated, per lane:
 *   q = saturate(roundShift(x1 * A1 + x2 * A2, S, rounding), out)   (src/ref residualAdd)
 * A1, A2 are per tensor: from the config (`tensorScales`) or, when absent,
 * in every transaction (which lets one build be tested with any multipliers).
 */
import { z } from 'zod';
import { BINARY_RULES, ROUNDING_MODES, type RoundingMode, type Shape, roundShiftShape, shape, unsigned } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type FieldSpec, type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

const bool = z.boolean('must be true or false');
const scaleValue = z.number().int('must be an integer').min(0, 'must be >= 0');

export const residualSchema = z
  .strictObject({
    name: moduleName.default('residual_add'),
    lanes: intIn(1, 16).default(1),
    aBits: intIn(2, 16).default(8),
    aSigned: bool.default(true),
    bBits: intIn(2, 16).default(8),
    bSigned: bool.default(true),
    scaleBits: intIn(2, 16).default(8),
    tensorScales: z.strictObject({ a: scaleValue, b: scaleValue }).optional(),
    shift: intIn(0, 48).default(8),
    rounding: z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`).default('rnu'),
    outBits: intIn(2, 8).default(8),
    outSigned: bool.default(true),
  })
  .superRefine((c, ctx) => {
    const max = 2 ** c.scaleBits - 1;
    for (const k of ['a', 'b'] as const) {
      const v = c.tensorScales?.[k];
      if (v !== undefined && v > max) ctx.addIssue({ code: 'custom', path: ['tensorScales', k], message: `must fit the unsigned ${c.scaleBits}-bit scale (0 to ${max})` });
    }
  });
export type ResidualConfigInput = z.input<typeof residualSchema>;
export type ResidualConfig = z.output<typeof residualSchema>;

export const DEFAULT_RESIDUAL: ResidualConfigInput = Object.freeze({ lanes: 4, aBits: 8, bBits: 8, scaleBits: 8, shift: 8 });

/** s0: both products, s1: sum, s2: roundShift, s3: saturate; one transaction per cycle. */
export const RESIDUAL_LATENCY = 4;

export interface ResidualDerived {
  readonly config: ResidualConfig;
  readonly latency: number;
  readonly a: Shape;
  readonly b: Shape;
  readonly scale: Shape;
  readonly productA: Shape;
  readonly productB: Shape;
  readonly sum: Shape;
  readonly rounded: Shape;
  readonly out: Shape;
  readonly mode: RoundingMode;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveResidual(c: ResidualConfig): ResidualDerived {
  const a = shape(c.aBits, c.aSigned);
  const b = shape(c.bBits, c.bSigned);
  const scale = unsigned(c.scaleBits);
  const productA = BINARY_RULES.mul.shape(a, scale);
  const productB = BINARY_RULES.mul.shape(b, scale);
  const sum = BINARY_RULES.add.shape(productA, productB);
  const fields: FieldSpec[] = [
    { name: 'a', shape: a },
    { name: 'b', shape: b },
  ];
  if (c.tensorScales === undefined) fields.push({ name: 'scaleA', shape: scale }, { name: 'scaleB', shape: scale });
  const out = shape(c.outBits, c.outSigned);
  return Object.freeze({
    config: c,
    latency: RESIDUAL_LATENCY,
    a,
    b,
    scale,
    productA,
    productB,
    sum,
    rounded: roundShiftShape(sum, c.shift, c.rounding),
    out,
    mode: c.rounding,
    input: laneLayout(fields, c.lanes),
    output: laneLayout([{ name: 'out', shape: out }], c.lanes),
  });
}
