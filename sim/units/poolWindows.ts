// What the pooling benches share: the raster pixels of a window, and the
// Icarus prefix in whole images (a pool's outputs come per image).
import type { PoolGeometry } from '../../hdl-gen/units/avgPool/poolGeometry.ts';
import type { IcarusPrefix } from '../check/index.ts';

/** Pixel indices (raster) of output window w of an image. */
export function windowPixels(g: PoolGeometry, w: number): number[] {
  const oy = Math.floor(w / g.outWidth);
  const ox = w % g.outWidth;
  const px: number[] = [];
  for (let ky = 0; ky < g.windowHeight; ky++) for (let kx = 0; kx < g.windowWidth; kx++) px.push((oy * g.windowHeight + ky) * g.config.width + ox * g.windowWidth + kx);
  return px;
}

/** Whole images covering at least `outputs` outputs (at least one, at most all). */
export function poolIcarusPrefix(g: PoolGeometry, images: number, outputs: number): IcarusPrefix {
  const perImage = g.outWidth * g.outHeight;
  const n = Math.max(1, Math.min(images, Math.ceil(outputs / perImage)));
  return { inputs: n * g.config.width * g.config.height, outputs: n * perImage };
}
