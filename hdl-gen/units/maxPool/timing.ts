/**
 * The max-pooling unit's timing promise, as numbers the test asserts: the
 * average-pooling unit's (../avgPool/timing.ts) with latency 1. With in_valid
 * and out_ready always high it takes one pixel per cycle and offers a
 * window's maximum one cycle after the handshake of the pixel completing it,
 * and an image's last maximum no earlier than the cycle after its last pixel.
 */
import { poolCycles } from '../avgPool/poolGeometry.ts';
import { type MaxPoolConfig, deriveMaxPool } from './config.ts';

/** Cycles from the first offered pixel to the last output handshake for `images` whole images. */
export function maxPoolCycles(c: MaxPoolConfig, images: number): number {
  return poolCycles(deriveMaxPool(c), images);
}
