/**
 * The average-pooling unit's timing promise, as numbers the test asserts.
 * With in_valid and out_ready always high the unit takes one pixel per cycle
 * (the division pipeline never stalls), and offers a window's average
 * `latency` cycles after the handshake of the pixel that completes it.
 */
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';
import { lastWindowPixelOf } from './poolGeometry.ts';

/** Raster index, within an image, of the pixel that completes its last window. */
export function lastWindowPixel(c: AvgPoolConfig): number {
  return lastWindowPixelOf(deriveAvgPool(c));
}

/**
 * Cycles from the first offered pixel to the last output handshake for
 * `images` whole images, always valid and always ready: the last image's
 * pixels are taken in cycles 0..P-1 (relative to its start), its last window
 * is offered `latency` cycles after its completing pixel, and no earlier than
 * the cycle after its last pixel (imageDrain.ts).
 */
export function avgPoolCycles(c: AvgPoolConfig, images: number): number {
  const d = deriveAvgPool(c);
  const P = c.width * c.height;
  return (images - 1) * P + Math.max(lastWindowPixel(c) + d.latency, P) + 1;
}
