/**
 * Requantizer configuration: the zod schema, defaults, and the derived shapes
 * (computed once, frozen) that generate.ts, pack.ts and inventory.ts share.
 *
 * Two variants:
 * - doubleQuant (PikeLPN's Double Quantization): per lane
 *   q = saturate(roundShift((acc + bias) * Q, S, rounding), out), Q an
 *   unsigned scaleBits-bit integer (per channel in the transaction, or one
 *   per tensor from `tensorScale`), S a per-layer constant shift. With
 *   `bias: false` the add is absent (the input is then QuantNorm's output,
 *   which already carries the offset). The bias has the accumulator's shape.
 * - tflite (the int8 industry baseline, src/ref/tflite.ts): per lane
 *   q = saturate(RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(
 *         int32(acc + bias), M), e) + zeroPoint, out)
 *   with a per-channel int32 bias and multiplier M and right-shift exponent
 *   e (0..31). TFLite's left shift (real multipliers >= 1) is not supported:
 *   requantization multipliers of conv layers are below 1.
 */
import { z } from 'zod';
import { BINARY_RULES, ROUNDING_MODES, type RoundingMode, type Shape, maxOf, minOf, roundShiftShape, shape, signed, unsigned } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type FieldSpec, type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

const bool = z.boolean('must be true or false');
const rounding = z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`);

export const doubleQuantSchema = z
  .strictObject({
    variant: z.literal('doubleQuant'),
    name: moduleName.default('requantizer_dq'),
    lanes: intIn(1, 16).default(1),
    accBits: intIn(2, 40).default(20),
    scaleBits: intIn(2, 16).default(8),
    /** Per-tensor scale (a constant multiplier); absent: per-channel scale in the transaction. */
    tensorScale: z.number().int('must be an integer').min(0, 'must be >= 0').optional(),
    bias: bool.default(true),
    shift: intIn(0, 64).default(12),
    rounding: rounding.default('rnu'),
    outBits: intIn(2, 8).default(8),
    outSigned: bool.default(true),
  })
  .superRefine((c, ctx) => {
    if (c.tensorScale !== undefined && c.tensorScale >= 2 ** c.scaleBits) {
      ctx.addIssue({ code: 'custom', path: ['tensorScale'], message: `must fit the unsigned ${c.scaleBits}-bit scale (0 to ${2 ** c.scaleBits - 1})` });
    }
  });

export const tfliteSchema = z
  .strictObject({
    variant: z.literal('tflite'),
    name: moduleName.default('requantizer_tflite'),
    lanes: intIn(1, 16).default(1),
    accBits: intIn(2, 32).default(32),
    outputZeroPoint: intIn(-128, 255).default(0),
    outBits: intIn(2, 8).default(8),
    outSigned: bool.default(true),
  })
  .superRefine((c, ctx) => {
    const out = shape(c.outBits, c.outSigned);
    if (BigInt(c.outputZeroPoint) < minOf(out) || BigInt(c.outputZeroPoint) > maxOf(out)) {
      ctx.addIssue({ code: 'custom', path: ['outputZeroPoint'], message: `must lie in the output range ${minOf(out)}..${maxOf(out)}` });
    }
  });

export const requantizerSchema = z.discriminatedUnion('variant', [doubleQuantSchema, tfliteSchema], 'variant must be "doubleQuant" or "tflite"');
export type RequantizerConfigInput = z.input<typeof requantizerSchema>;
export type DoubleQuantConfig = z.output<typeof doubleQuantSchema>;
export type TfliteConfig = z.output<typeof tfliteSchema>;
export type RequantizerConfig = z.output<typeof requantizerSchema>;

export const DEFAULT_REQUANTIZER: RequantizerConfigInput = Object.freeze({ variant: 'doubleQuant', lanes: 4, accBits: 20, scaleBits: 8, shift: 12 });

/** Register stages from the input handshake to out_valid; one transaction per cycle at full rate. */
export const DOUBLE_QUANT_LATENCY = 4;
export const TFLITE_LATENCY = 5;

export interface DoubleQuantDerived {
  readonly variant: 'doubleQuant';
  readonly latency: number;
  readonly config: DoubleQuantConfig;
  readonly acc: Shape;
  readonly scale: Shape;
  /** acc + bias (or acc when there is no bias). */
  readonly sum: Shape;
  readonly product: Shape;
  readonly rounded: Shape;
  readonly out: Shape;
  readonly mode: RoundingMode;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export interface TfliteDerived {
  readonly variant: 'tflite';
  readonly latency: number;
  readonly config: TfliteConfig;
  readonly acc: Shape;
  readonly out: Shape;
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export type RequantizerDerived = DoubleQuantDerived | TfliteDerived;

export const INT32: Shape = signed(32);
/** The exponent of RoundingDivideByPOT: 0..31. */
export const EXPONENT: Shape = unsigned(5);

export function deriveRequantizer(c: RequantizerConfig): RequantizerDerived {
  const acc = signed(c.accBits);
  const out = shape(c.outBits, c.outSigned);
  const output = laneLayout([{ name: 'out', shape: out }], c.lanes);
  if (c.variant === 'tflite') {
    const fields: FieldSpec[] = [
      { name: 'acc', shape: acc },
      { name: 'bias', shape: INT32 },
      { name: 'multiplier', shape: INT32 },
      { name: 'exponent', shape: EXPONENT },
    ];
    return Object.freeze({ variant: 'tflite', latency: TFLITE_LATENCY, config: c, acc, out, input: laneLayout(fields, c.lanes), output });
  }
  const scale = unsigned(c.scaleBits);
  const sum = c.bias ? BINARY_RULES.add.shape(acc, acc) : acc;
  const product = BINARY_RULES.mul.shape(sum, scale);
  const fields: FieldSpec[] = [{ name: 'acc', shape: acc }];
  if (c.bias) fields.push({ name: 'bias', shape: acc });
  if (c.tensorScale === undefined) fields.push({ name: 'scale', shape: scale });
  return Object.freeze({
    variant: 'doubleQuant',
    latency: DOUBLE_QUANT_LATENCY,
    config: c,
    acc,
    scale,
    sum,
    product,
    rounded: roundShiftShape(product, c.shift, c.rounding),
    out,
    mode: c.rounding,
    input: laneLayout(fields, c.lanes),
    output,
  });
}
