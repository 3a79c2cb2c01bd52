/**
 * The MAC array's configuration: zod schema (field-naming errors come from
 * hdl-gen/generators' parseConfig) and the shapes every part derives from it.
 */
import { z } from 'zod';
import { type Range, type Shape, accumulatorShape, mulRanges, rangeOf, shape, shapeOfRange } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { WEIGHT_KINDS, type WeightFormat, weightRange } from './weightEncoding.ts';

/** Largest reduction depth K: the step counter and accumulator stay small, far below MAX_WIDTH. */
export const MAX_DEPTH = 1 << 20;
export const MAX_SIDE = 32;

const ENCODING_BITS = { binary: 1, ternary: 2 } as const;

export const macArrayConfig = z
  .strictObject({
    name: moduleName.default('mac_array'),
    /** Output channels: one weight per row per step. */
    rows: intIn(1, MAX_SIDE).default(4),
    /** Pixels (or batch items): one activation per column per step. */
    cols: intIn(1, MAX_SIDE).default(4),
    /** Reduction depth K: steps per output tile. */
    depth: intIn(1, MAX_DEPTH).default(16),
    weightKind: z.enum(WEIGHT_KINDS, `must be one of ${WEIGHT_KINDS.join(', ')}`).default('int'),
    /** int: 1..8 (default 4); binary: 1; ternary: 2. Omit it for binary and ternary. */
    weightBits: intIn(1, 8).optional(),
    /** int only (default true); binary and ternary weights are signed values. */
    weightSigned: z.boolean('must be true or false').optional(),
    activationBits: intIn(1, 8).default(4),
    activationSigned: z.boolean('must be true or false').default(false),
  })
  .superRefine((c, ctx) => {
    if (c.weightKind === 'int') return;
    const bits = ENCODING_BITS[c.weightKind];
    if (c.weightBits !== undefined && c.weightBits !== bits) {
      ctx.addIssue({
        code: 'custom',
        path: ['weightBits'],
        message: `${c.weightKind} weights are encoded in ${bits} bit${bits > 1 ? 's' : ''}: omit weightBits or set it to ${bits}`,
      });
    }
    if (c.weightSigned === false) {
      ctx.addIssue({ code: 'custom', path: ['weightSigned'], message: `${c.weightKind} weights are signed (+1/-1): omit weightSigned or set it to true` });
    }
  })
  .transform((c) => ({
    ...c,
    weightBits: c.weightKind === 'int' ? (c.weightBits ?? 4) : ENCODING_BITS[c.weightKind],
    weightSigned: c.weightKind === 'int' ? (c.weightSigned ?? true) : true,
  }));

export type MacArrayConfig = z.output<typeof macArrayConfig>;
export type MacArrayConfigInput = z.input<typeof macArrayConfig>;

export interface MacArrayShapes {
  readonly weight: WeightFormat;
  readonly weightRange: Range;
  readonly activation: Shape;
  /** Smallest shape holding every weight x activation product. */
  readonly product: Shape;
  /** accumulatorShape(weight range, activation range, K): exact, never overflows. */
  readonly acc: Shape;
  /** in_data: cols activations, then rows weight encodings. */
  readonly inWidth: number;
  /** out_data: rows x cols accumulators. */
  readonly outWidth: number;
}

export function macArrayShapes(c: MacArrayConfig): MacArrayShapes {
  const weight: WeightFormat = { kind: c.weightKind, bits: c.weightBits, signed: c.weightSigned };
  const wr = weightRange(weight);
  const activation = shape(c.activationBits, c.activationSigned);
  const acc = accumulatorShape(wr, rangeOf(activation), c.depth);
  return Object.freeze({
    weight,
    weightRange: wr,
    activation,
    product: shapeOfRange(mulRanges(wr, rangeOf(activation))),
    acc,
    inWidth: c.cols * c.activationBits + c.rows * c.weightBits,
    outWidth: c.rows * c.cols * acc.width,
  });
}
