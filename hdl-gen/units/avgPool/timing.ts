/**
 * The average-pooling unit's timing promise, as numbers the test asserts.
 * With in_valid and out_ready always high the unit takes one pixel per cycle
 * (the division pipeline never stalls), and offers a window's average
 * `latency` cycles after the handshake of the pixel that completes it.
 */
import { type AvgPoolConfig, deriveAvgPool } from './config.ts';
import { lastWindowPixelOf, poolCycles } from './poolGeometry.ts';

/** Raster index, within an image, of the pixel that completes its last window. */
export function lastWindowPixel(c: AvgPoolConfig): number {
  return lastWindowPixelOf(deriveAvgPool(c));
}

/** Cycles from the first offered pixel to the last output handshake for `images` whole images (poolCycles). */
export function avgPoolCycles(c: AvgPoolConfig, images: number): number {
  return poolCycles(deriveAvgPool(c), images);
}
