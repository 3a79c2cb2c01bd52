/**
 * What the window walk (windowWalk.ts) and the image-boundary rule
 * (imageDrain.ts) need of a pooling unit: the image and window sides and the
 * output grid. The average- and max-pooling units both derive it, so the two
 * walk images the same way (raster order, stride = window, cropped edges).
 * Also the configuration fields and rules the two share, so their schemas
 * cannot drift apart.
 */
import { z } from 'zod';
import { intIn, moduleName } from '../../config/configFields.ts';

export const MAX_POOL_IMAGE_SIDE = 1024;
export const MAX_POOL_KERNEL = 32;

export interface PoolGeometry {
  readonly config: { readonly width: number; readonly height: number };
  /** Window sides (the whole image for 'global'). */
  readonly windowWidth: number;
  readonly windowHeight: number;
  /** Output pixels per image: floor(width / windowWidth) x floor(height / windowHeight). */
  readonly outWidth: number;
  readonly outHeight: number;
}

/** Raster index, within an image, of the pixel that completes its last window. */
export function lastWindowPixelOf(g: PoolGeometry): number {
  return (g.outHeight * g.windowHeight - 1) * g.config.width + g.outWidth * g.windowWidth - 1;
}

/**
 * Cycles from the first offered pixel to the last output handshake for `images` whole images,
 * always valid and always ready, of a pool unit that offers a window's result `latency` cycles
 * after the pixel completing it: the last image's pixels are taken in cycles 0..P-1, and its last
 * result comes no earlier than the cycle after its last pixel (imageDrain.ts). Both pool units' promise.
 */
export function poolCycles(g: PoolGeometry & { readonly latency: number }, images: number): number {
  const P = g.config.width * g.config.height;
  return (images - 1) * P + Math.max(lastWindowPixelOf(g) + g.latency, P) + 1;
}

/** Window sides and output grid of a pool configuration. */
export function poolGrid(c: PoolWindowConfig): Omit<PoolGeometry, 'config'> {
  const windowWidth = c.kernel === 'global' ? c.width : c.kernel;
  const windowHeight = c.kernel === 'global' ? c.height : c.kernel;
  return { windowWidth, windowHeight, outWidth: Math.floor(c.width / windowWidth), outHeight: Math.floor(c.height / windowHeight) };
}

const kernelRule = `must be "global" or an integer from 1 to ${MAX_POOL_KERNEL}`;

/** The fields of a pooling unit's schema other than its own (rounding for the average). */
export function poolWindowFields(defaultName: string) {
  return {
    name: moduleName.default(defaultName),
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
  };
}

export interface PoolWindowConfig {
  readonly width: number;
  readonly height: number;
  readonly kernel: 'global' | number;
  readonly stride?: number | undefined;
}

/** The rules across those fields: stride = kernel, a window fits the image. */
export function checkPoolWindow(c: PoolWindowConfig, ctx: z.RefinementCtx): void {
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
}
