/**
 * Activation unit configuration. Per lane, on a signed input x:
 * - relu:        saturate(max(x, 0), out)              (src/ref relu)
 * - clippedRelu: clamp(x, 0, clipHigh)                  (src/ref clippedRelu; ReLU6 after quantization)
 * - prelu:       saturate(x >= 0 ? x : roundShift(x * P, Sp, rounding), out)
 *                with a per-channel signed slopeBits-bit slope P in the
 *                transaction and a per-layer shift Sp (src/ref prelu, then
 *                saturation).
 */
import { z } from 'zod';
import { BINARY_RULES, ROUNDING_MODES, type RoundingMode, type Shape, maxOf, roundShiftShape, shape, signed, unify } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type FieldSpec, type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

const bool = z.boolean('must be true or false');

export const ACTIVATION_KINDS = ['relu', 'clippedRelu', 'prelu'] as const;

export const activationSchema = z
  .strictObject({
    name: moduleName.default('activation'),
    kind: z.enum(ACTIVATION_KINDS, `must be one of ${ACTIVATION_KINDS.join(', ')}`).default('relu'),
    lanes: intIn(1, 16).default(1),
    inBits: intIn(2, 32).default(16),
    /** clippedRelu only: the upper bound (e.g. the quantized 6.0). */
    clipHigh: z.number().int('must be an integer').min(0, 'must be >= 0').optional(),
    /** prelu only. */
    slopeBits: intIn(2, 16).default(8),
    slopeShift: intIn(0, 31).default(7),
    rounding: z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`).default('rnu'),
    outBits: intIn(2, 8).default(8),
    outSigned: bool.default(false),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'clippedRelu') {
      const hi = Number(maxOf(shape(c.outBits, c.outSigned)));
      if (c.clipHigh === undefined) ctx.addIssue({ code: 'custom', path: ['clipHigh'], message: 'is required for kind clippedRelu' });
      else if (c.clipHigh > hi) ctx.addIssue({ code: 'custom', path: ['clipHigh'], message: `must fit the output (at most ${hi})` });
    } else if (c.clipHigh !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['clipHigh'], message: 'applies only to kind clippedRelu' });
    }
  });
export type ActivationConfigInput = z.input<typeof activationSchema>;
export type ActivationConfig = z.output<typeof activationSchema>;

export const DEFAULT_ACTIVATION: ActivationConfigInput = Object.freeze({ kind: 'prelu', lanes: 4, inBits: 16, slopeBits: 8, slopeShift: 7, outBits: 8, outSigned: true });

export interface ActivationDerived {
  readonly config: ActivationConfig;
  /** 1 cycle for the clamps; 3 for prelu (multiply | select and round | saturate). */
  readonly latency: number;
  readonly x: Shape;
  readonly slope: Shape;
  readonly product: Shape;
  readonly scaled: Shape;
  /** Shape of the PReLU result before saturation. */
  readonly selected: Shape;
  readonly out: Shape;
  readonly mode: RoundingMode;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveActivation(c: ActivationConfig): ActivationDerived {
  const x = signed(c.inBits);
  const slope = signed(c.slopeBits);
  const product = BINARY_RULES.mul.shape(x, slope);
  const scaled = roundShiftShape(product, c.slopeShift, c.rounding);
  const fields: FieldSpec[] = [{ name: 'x', shape: x }];
  if (c.kind === 'prelu') fields.push({ name: 'slope', shape: slope });
  return Object.freeze({
    config: c,
    latency: c.kind === 'prelu' ? 3 : 1,
    x,
    slope,
    product,
    scaled,
    selected: unify(scaled, x),
    out: shape(c.outBits, c.outSigned),
    mode: c.rounding,
    input: laneLayout(fields, c.lanes),
    output: laneLayout([{ name: 'out', shape: shape(c.outBits, c.outSigned) }], c.lanes),
  });
}
