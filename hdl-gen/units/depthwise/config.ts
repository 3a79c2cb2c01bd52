/**
 * The depthwise engine's configuration (zod; errors name field, value and
 * rule) and the geometry and shapes derived from it once.
 */
import { z } from 'zod';
import { type Shape, accumulatorShape, rangeOf, shape } from '../../../src/arith/index.ts';
import { intIn, moduleName } from '../../config/configFields.ts';

export const MAX_IMAGE_SIDE = 1024;
export const STRIDES = [1, 2, 4] as const;

/** Same rule as the network model's convOutputSize (floor). */
function outSize(size: number, k: number, s: number, p: number): number {
  return Math.floor((size + 2 * p - k) / s) + 1;
}

export const depthwiseConfig = z
  .strictObject({
    name: moduleName.default('depthwise'),
    /** Channels processed side by side: one pixel transaction carries all of them. */
    channels: intIn(1, 64).default(4),
    kernel: intIn(2, 7).default(3),
    /** Powers of two only: the output-position test is then a compare of low counter bits. */
    stride: z.literal(STRIDES, `must be one of ${STRIDES.join(', ')}`).default(1),
    /** Zero padding on every side; default (kernel - 1) / 2 rounded down ("same" for odd kernels). */
    padding: intIn(0, 6).optional(),
    width: intIn(1, MAX_IMAGE_SIDE).default(8),
    height: intIn(1, MAX_IMAGE_SIDE).default(8),
    weightBits: intIn(1, 8).default(4),
    weightSigned: z.boolean('must be true or false').default(true),
    activationBits: intIn(1, 8).default(4),
    activationSigned: z.boolean('must be true or false').default(false),
  })
  .transform((c) => ({ ...c, padding: c.padding ?? (c.kernel - 1) >> 1 }))
  .superRefine((c, ctx) => {
    if (c.padding >= c.kernel) {
      ctx.addIssue({ code: 'custom', path: ['padding'], message: `must be below kernel ${c.kernel}: a window of padding alone has no input` });
      return;
    }
    for (const [field, size] of [['width', c.width], ['height', c.height]] as const) {
      if (outSize(size, c.kernel, c.stride, c.padding) < 1) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `must be at least ${c.kernel - 2 * c.padding}: a ${c.kernel}x${c.kernel} window with padding ${c.padding} does not fit`,
        });
      }
    }
  });

export type DepthwiseConfig = z.output<typeof depthwiseConfig>;
export type DepthwiseConfigInput = z.input<typeof depthwiseConfig>;

export interface DepthwiseGeometry {
  /** Padded raster the engine walks, one position per cycle. */
  readonly paddedWidth: number;
  readonly paddedHeight: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly taps: number;
  readonly weight: Shape;
  readonly activation: Shape;
  /** accumulatorShape(weight, activation, kernel^2): exact, never overflows. */
  readonly acc: Shape;
  /** Bits of one pixel (all channels) and of one tap's weights (all channels). */
  readonly pixelBits: number;
  readonly tapBits: number;
  /** The payload below the mode bit: the wider of a pixel and a tap. */
  readonly payloadBits: number;
  /** in_data = mode bit (payloadBits) above the payload. */
  readonly inWidth: number;
  /** out_data: channels accumulators. */
  readonly outDataWidth: number;
}

export function depthwiseGeometry(c: DepthwiseConfig): DepthwiseGeometry {
  const weight = shape(c.weightBits, c.weightSigned);
  const activation = shape(c.activationBits, c.activationSigned);
  const taps = c.kernel * c.kernel;
  const acc = accumulatorShape(rangeOf(weight), rangeOf(activation), taps);
  const pixelBits = c.channels * c.activationBits;
  const tapBits = c.channels * c.weightBits;
  const payloadBits = Math.max(pixelBits, tapBits);
  return Object.freeze({
    paddedWidth: c.width + 2 * c.padding,
    paddedHeight: c.height + 2 * c.padding,
    outWidth: outSize(c.width, c.kernel, c.stride, c.padding),
    outHeight: outSize(c.height, c.kernel, c.stride, c.padding),
    taps,
    weight,
    activation,
    acc,
    pixelBits,
    tapBits,
    payloadBits,
    inWidth: payloadBits + 1,
    outDataWidth: c.channels * acc.width,
  });
}
