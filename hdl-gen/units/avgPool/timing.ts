/**
 * The average-pooling unit's timing promise, as numbers the test asserts.
 * With in_valid and out_ready always high the unit takes one pixel per cycle
 * (the division pipeline never stalls), and offers a window's average
 * `latency` cycles after the handshake of the pixel that completes it.
 */
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';

/** Raster index, within an image, of the pixel that completes its last window. */
export function lastWindowPixel(c: AvgPoolConfig): number {
  const d = deriveAvgPool(c);
  return (d.outHeight * d.windowHeight - 1) * c.width + d.outWidth * d.windowWidth - 1;
}

/**
 * Cycles from the first offered pixel to the last output handshake for
 * `images` whole images, always valid and always ready. Pixels cropped after
 * the last window of the last image are taken in the cycles that follow (the
 * count ends at the last output, so they are not counted when the output
 * comes later).
 */
export function avgPoolCycles(c: AvgPoolConfig, images: number): number {
  const d = deriveAvgPool(c);
  return (images - 1) * c.width * c.height + lastWindowPixel(c) + 1 + d.latency;
}
