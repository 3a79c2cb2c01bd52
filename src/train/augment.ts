/**
 * Training-time data augmentation for 28x28 digits: a random affine warp
 * (rotation, scale, shift) about the image centre, sampled bilinearly with
 * zero outside the image. Every random number comes from the caller's seeded
 * generator, so a seed gives the same augmented batches on every run.
 */
import type { SeededRandom } from '../quant/index.ts';

export interface AugmentConfig {
  /** Largest shift, in pixels, along each axis (uniform in [-maxShift, maxShift]). */
  readonly maxShift: number;
  /** Largest rotation, in degrees (uniform in [-maxRotateDeg, maxRotateDeg]). */
  readonly maxRotateDeg: number;
  /** Largest relative scale change (scale uniform in [1 - maxScale, 1 + maxScale]). */
  readonly maxScale: number;
}

export const DEFAULT_AUGMENT: AugmentConfig = Object.freeze({ maxShift: 2, maxRotateDeg: 10, maxScale: 0.08 });

const SIDE = 28;
const CENTRE = (SIDE - 1) / 2;

/**
 * Warp one image `src` (784 pixels) into `dst` (784 pixels, must not alias
 * `src`) by rotation `deg`, scale `scale` and shift (dx, dy): the output
 * pixel (x, y) takes the input at the inverse transform of (x, y).
 */
export function warpImage(src: Float64Array, srcOffset: number, dst: Float64Array, dstOffset: number, deg: number, scale: number, dx: number, dy: number): void {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t) / scale;
  const s = Math.sin(t) / scale;
  for (let y = 0; y < SIDE; y++) {
    const ry = y - CENTRE - dy;
    for (let x = 0; x < SIDE; x++) {
      const rx = x - CENTRE - dx;
      // Inverse rotation and scale of the output position.
      const sx = c * rx + s * ry + CENTRE;
      const sy = -s * rx + c * ry + CENTRE;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const at = (xx: number, yy: number): number => (xx < 0 || yy < 0 || xx >= SIDE || yy >= SIDE ? 0 : src[srcOffset + yy * SIDE + xx]!);
      const v = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      dst[dstOffset + y * SIDE + x] = v;
    }
  }
}

/** Augment `batch` images in `images` in place, drawing 4 numbers per image from `rnd`. `scratch` holds 784 values. */
export function augmentBatch(images: Float64Array, batch: number, cfg: AugmentConfig, rnd: SeededRandom, scratch: Float64Array): void {
  const u = (): number => 2 * rnd.next() - 1;
  for (let b = 0; b < batch; b++) {
    const deg = u() * cfg.maxRotateDeg;
    const scale = 1 + u() * cfg.maxScale;
    const dx = u() * cfg.maxShift;
    const dy = u() * cfg.maxShift;
    const off = b * SIDE * SIDE;
    scratch.set(images.subarray(off, off + SIDE * SIDE));
    warpImage(scratch, 0, images, off, deg, scale, dx, dy);
  }
}
