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
import { type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';
import { type PoolGeometry, checkPoolWindow, poolGrid, poolWindowFields } from './poolGeometry.ts';

export { MAX_POOL_IMAGE_SIDE, MAX_POOL_KERNEL } from './poolGeometry.ts';

export const avgPoolSchema = z
  .strictObject({
    ...poolWindowFields('avg_pool'),
    rounding: z.enum(ROUNDING_MODES, `must be one of ${ROUNDING_MODES.join(', ')}`).default('rnu'),
  })
  .superRefine(checkPoolWindow);

export type AvgPoolConfigInput = z.input<typeof avgPoolSchema>;
export type AvgPoolConfig = z.output<typeof avgPoolSchema>;

export const DEFAULT_AVG_POOL: AvgPoolConfigInput = Object.freeze({ channels: 4, inputBits: 8, width: 8, height: 8, kernel: 2 });

/** How the sum is divided by N: a rounding shift (N = 2^p; 2 register stages: sum | rounded) or
 *  multiply by the reciprocal, add, shift (src/arith poolDivision; 4 stages: sum | product | offset | result). */
export type Division = PoolDivision;

export interface AvgPoolDerived extends PoolGeometry {
  readonly config: AvgPoolConfig;
  readonly mode: RoundingMode;
  /** N: values per window. */
  readonly count: number;
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
  const grid = poolGrid(c);
  const count = grid.windowWidth * grid.windowHeight;
  const value = shape(c.inputBits, c.inputSigned);
  const sum = poolSumShape(value, count);
  const div = poolDivision(value, count, c.rounding);
  return Object.freeze({
    config: c,
    mode: c.rounding,
    ...grid,
    count,
    value,
    sum,
    division: div,
    latency: div.kind === 'shift' ? 2 : 4,
    input: laneLayout([{ name: 'x', shape: value }], c.channels),
    output: laneLayout([{ name: 'out', shape: value }], c.channels),
  });
}
