/**
 * Where the pixel at the head of the stream sits in its pooling window: the
 * counters of the raster walk (pixels arrive row by row, left to right, one
 * image after another) and the window-edge tests the accumulator needs.
 *
 * Columns right of the last whole window and rows below the last whole window
 * row are cropped (floor, as the reference and every framework do): such
 * pixels are taken and ignored. A counter whose range is a single value is
 * not built; its tests are the constant 1.
 */
import { unsigned } from '../../../src/arith/index.ts';
import { type Expr, type Signal, constant, mux } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';
import type { PoolGeometry } from './poolGeometry.ts';

const u1 = unsigned(1);
const one = (): Expr => constant(1, u1);

export interface WindowPosition {
  /** The pixel lies in a whole window (not cropped). */
  readonly active: Expr;
  readonly firstColumn: Expr;
  readonly lastColumn: Expr;
  readonly firstRow: Expr;
  readonly lastRow: Expr;
  /** The window column (0 .. outWidth-1): the partial-sum buffer address; absent when outWidth = 1. */
  readonly column: Signal | undefined;
  /**
   * 1 at the image's last raster pixel, when taken after the image's last
   * window completed (with cropped rows: the last row's end; without: the end
   * of the row of the last window, which is the last row).
   */
  readonly tailEnd: Expr;
}

function counterWidth(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n)));
}

export interface Counter {
  readonly value: Signal | undefined;
  /** v = 0, built only where read (an unread wire is a lint warning). */
  first(): Expr;
  readonly last: Expr;
}

/**
 * A counter over 0..n-1 advancing on `step`: back to 0 after n-1 or on `clear`;
 * with `hold`, it stays at n-1 instead of wrapping (cleared only by `clear`).
 */
export function counter(m: Module, name: string, n: number, step: Expr, clear?: Expr, hold = false): Counter {
  if (n === 1) return { value: undefined, first: one, last: one() };
  const s = unsigned(counterWidth(n));
  const v = m.reg(name, s, { reset: 0 });
  const last = m.wire(`${name}_last`, v.eq(n - 1));
  const zero = constant(0, s);
  const inc = v.add(1).resize(s);
  let next: Expr;
  if (hold) next = mux(clear!, zero, mux(last, v, inc));
  else next = mux(clear === undefined ? last : clear.or(last), zero, inc);
  m.update(v, next, { enable: step });
  return { value: v, first: () => v.eq(0), last };
}

/** Counters advancing on `take` (the input handshake). */
export function windowWalk(m: Module, d: PoolGeometry, take: Expr): WindowPosition {
  const c = d.config;
  const kw = d.windowWidth;
  const kh = d.windowHeight;
  const cropX = c.width > d.outWidth * kw;
  const cropY = c.height > d.outHeight * kh;

  // Horizontal: kx within the window, ox the window column; with cropped
  // columns, x (the raster column) ends the row and clears the others.
  let kx: Counter;
  let ox: Counter;
  let rowEnd: Expr;
  let activeX: Expr = one();
  if (cropX) {
    const x = counter(m, 'pix_x', c.width, take);
    rowEnd = x.last;
    activeX = m.wire('in_columns', x.value!.lt(d.outWidth * kw));
    kx = counter(m, 'win_x', kw, take, rowEnd);
    // Stepped at the row end too, so that a row ending in cropped columns clears it.
    ox = counter(m, 'win_col', d.outWidth, take.and(kx.last.or(rowEnd)), rowEnd, true);
  } else {
    kx = counter(m, 'win_x', kw, take);
    ox = counter(m, 'win_col', d.outWidth, take.and(kx.last));
    rowEnd = kx.last.and(ox.last);
  }

  // Vertical, the same one level up, stepped once per row.
  const rowStep = take.and(rowEnd);
  let ky: Counter;
  let activeY: Expr = one();
  let tailEnd = rowEnd;
  if (cropY) {
    const y = counter(m, 'pix_y', c.height, rowStep);
    activeY = m.wire('in_rows', y.value!.lt(d.outHeight * kh));
    ky = counter(m, 'win_y', kh, rowStep, y.last);
    tailEnd = rowEnd.and(y.last);
  } else {
    ky = counter(m, 'win_y', kh, rowStep);
  }
  return {
    active: cropX && cropY ? activeX.and(activeY) : cropX ? activeX : activeY,
    firstColumn: kx.first(),
    lastColumn: kx.last,
    firstRow: ky.first(),
    lastRow: ky.last,
    column: ox.value,
    tailEnd,
  };
}
