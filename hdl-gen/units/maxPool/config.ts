/**
 * Max-pooling configuration: the zod schema (the window fields and rules are
 * the average-pooling unit's, ../avgPool/poolGeometry.ts), defaults, and the
 * geometry and shapes derived once (frozen) for generate.ts, pack.ts,
 * timing.ts and inventory.ts.
 *
 * Pooling follows the spec (docs/semantics.md, "Max pooling"): the largest of
 * the kernel^2 (or height x width for 'global') values of a window, no
 * padding, windows that do not fit are dropped (floor). The output is one of
 * the inputs, so it keeps the input's shape: no rounding, no saturation.
 */
import { z } from 'zod';
import { type Shape, shape } from '../../../src/arith/index.ts';
import { type LaneLayout, laneLayout } from '../elementwise/laneLayout.ts';
import { type PoolGeometry, checkPoolWindow, poolGrid, poolWindowFields } from '../avgPool/poolGeometry.ts';

export const maxPoolSchema = z.strictObject(poolWindowFields('max_pool')).superRefine(checkPoolWindow);

export type MaxPoolConfigInput = z.input<typeof maxPoolSchema>;
export type MaxPoolConfig = z.output<typeof maxPoolSchema>;

export const DEFAULT_MAX_POOL: MaxPoolConfigInput = Object.freeze({ channels: 4, inputBits: 8, inputSigned: true, width: 8, height: 8, kernel: 2 });

/** Register stages from the handshake of a window's last pixel to out_valid: the maximum is registered once. */
export const MAX_POOL_LATENCY = 1;

export interface MaxPoolDerived extends PoolGeometry {
  readonly config: MaxPoolConfig;
  /** Values per window. */
  readonly count: number;
  readonly value: Shape;
  readonly latency: number;
  /** in_data: one pixel, channel c in lane c (field x); out_data: one output pixel (field out). */
  readonly input: LaneLayout;
  readonly output: LaneLayout;
}

export function deriveMaxPool(c: MaxPoolConfig): MaxPoolDerived {
  const grid = poolGrid(c);
  const value = shape(c.inputBits, c.inputSigned);
  return Object.freeze({
    config: c,
    ...grid,
    count: grid.windowWidth * grid.windowHeight,
    value,
    latency: MAX_POOL_LATENCY,
    input: laneLayout([{ name: 'x', shape: value }], c.channels),
    output: laneLayout([{ name: 'out', shape: value }], c.channels),
  });
}
