/**
 * Average-pooling configuration: the zod schema (errors name field, value and
 * rule), defaults, and the geometry, shapes and division plan derived once
 * (frozen) for generate.ts, pack.ts, timing.ts and inventory.ts.
 *
 * Pooling follows the spec (docs/semantics.md, "Average pooling"): the sum of
 * the N = kernel^2 (or height x width for 'global') values of a window,
 * roundDivide(sum, N, rounding), no padding, windows that do not fit are
 * dropped (floor), and the output keeps the input's shape: an average of
 * values in a range stays in it, so nothing saturates.
 */
import { z } from 'zod';
import {
  type PoolDivision,
  ROUNDING_MODES,
  type RoundingMode,
  type Shape,
  poolDivision,
  poolSumShape,
  shape,
} from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';
import { type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';

export const MAX_POOL_IMAGE_SIDE = 1024;
export const MAX_POOL_KERNEL = 32;

const kernelRule = `must be "global" or an integer from 1 to ${MAX_POOL_KERNEL}`;

export const avgPoolSchema = z
  .strictObject({
    name: moduleName.default('avg_pool'),
    /** Channels of one pixel: one input transaction carries all of them. */
    channels: intIn(1, 64).default(4),
    inputBits: intIn(1, 16).default(8),
    inputSigned: z.boolean('must be true or false').default(false),
    width: intIn(1, MAX_POOL_IMAGE_SIDE).default(8),
    height: intIn(1, MAX_POOL_IMAGE_SIDE).default(8),
    /** 'global': one window of height x width per image; k: k x k windows. */
    kernel: z.union([z.literal('global'), intIn(1, MAX_POOL_KERNEL)], kernelRule).default(2),
    /** Only stride = kernel (non-overlapping windows) is built; given for networks that state it. */
    stride: intIn(1, MAX_POOL_KERNEL).optional(),
    rounding: z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`).default('rnu'),
  })
  .superRefine((c, ctx) => {
    if (c.kernel === 'global') {
      if (c.stride !== undefined) ctx.addIssue({ code: 'custom', path: ['stride'], message: 'must be absent: a global pool has no stride' });
      return;
    }
    if (c.stride !== undefined && c.stride !== c.kernel) {
      ctx.addIssue({ code: 'custom', path: ['stride'], message: `must equal kernel ${c.kernel}: only non-overlapping windows (stride = kernel) are built` });
    }
    for (const [field, size] of [['width', c.width], ['height', c.height]] as const) {
      if (size < c.kernel) ctx.addIssue({ code: 'custom', path: [field], message: `must be at least kernel ${c.kernel}: no ${c.kernel}x${c.kernel} window fits` });
    }
  });

export type AvgPoolConfigInput = z.input<typeof avgPoolSchema>;
export type AvgPoolConfig = z.output<typeof avgPoolSchema>;

export const DEFAULT_AVG_POOL: AvgPoolConfigInput = Object.freeze({ channels: 4, inputBits: 8, width: 8, height: 8, kernel: 2 });

/** How the sum is divided by N: a rounding shift (N = 2^p; 2 register stages: sum | rounded) or
 *  multiply by the reciprocal, add, shift (src/arith poolDivision; 4 stages: sum | product | offset | result). */
export type Division = PoolDivision;

export interface AvgPoolDerived {
  readonly config: AvgPoolConfig;
  readonly mode: RoundingMode;
  /** Window sides (the whole image for 'global'). */
  readonly windowWidth: number;
  readonly windowHeight: number;
  /** N: values per window. */
  readonly count: number;
  /** Output pixels per image: floor(width / windowWidth) x floor(height / windowHeight). */
  readonly outWidth: number;
  readonly outHeight: number;
  readonly value: Shape;
  /** Exact sum of N values (accumulatorShape with all-one weights): never overflows. */
  readonly sum: Shape;
  readonly division: Division;
  /** Register stages from the handshake of a window's last pixel to out_valid. */
  readonly latency: number;
  /** in_data: one pixel, channel c in lane c (field x); out_data: one output pixel (field out). */
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveAvgPool(c: AvgPoolConfig): AvgPoolDerived {
  const windowWidth = c.kernel === 'global' ? c.width : c.kernel;
  const windowHeight = c.kernel === 'global' ? c.height : c.kernel;
  const count = windowWidth * windowHeight;
  const value = shape(c.inputBits, c.inputSigned);
  const sum = poolSumShape(value, count);
  const div = poolDivision(value, count, c.rounding);
  return Object.freeze({
    config: c,
    mode: c.rounding,
    windowWidth,
    windowHeight,
    count,
    outWidth: Math.floor(c.width / windowWidth),
    outHeight: Math.floor(c.height / windowHeight),
    value,
    sum,
    division: div,
    latency: div.kind === 'shift' ? 2 : 4,
    input: laneLayout([{ name: 'x', shape: value }], c.channels),
    output: laneLayout([{ name: 'out', shape: value }], c.channels),
  });
}
