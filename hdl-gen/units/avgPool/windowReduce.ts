/**
 * A window reduction over the pixel stream, per channel: the running sum of
 * the average-pooling unit, the running maximum of the max-pooling unit.
 *   - acc holds the reduction of the current window row so far (and, when
 *     there is one window column, of the whole window so far);
 *   - the row buffer (a RAM of outWidth words, async read) holds, per window
 *     column, the reduction of the window rows already finished;
 *   - a window's first pixel starts a new reduction (no operator), so N-1
 *     operations per window.
 * Returned per channel: the reduction including the pixel at the head, which
 * is the window's result when that pixel completes it.
 */
import { type Shape, unsigned } from '../../../src/arith/index.ts';
import { type Expr, cat, mux } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';
import type { PoolGeometry } from './poolGeometry.ts';
import type { WindowPosition } from './windowWalk.ts';

export interface WindowReduction {
  /** The running value's shape: it must hold every partial result exactly. */
  readonly shape: Shape;
  /** The partial result with one more pixel, in `shape`. */
  readonly combine: (partial: Expr, x: Expr) => Expr;
  /** Signal names: the buffer's write data, and each channel's running value. */
  readonly bufferName: string;
  readonly laneName: (channel: number) => string;
}

export interface ReductionGeometry extends PoolGeometry {
  readonly config: PoolGeometry['config'] & { readonly channels: number };
  /** Values per window. */
  readonly count: number;
}

/** `pixels[ch]` is channel ch of the pixel at the head, already in `r.shape`. */
export function windowReduce(m: Module, d: ReductionGeometry, pixels: readonly Expr[], pos: WindowPosition, take: Expr, r: WindowReduction): Expr[] {
  const n = d.config.channels;
  const w = r.shape.width;
  const hasAcc = d.count > 1 && (d.outWidth === 1 || d.windowWidth > 1);
  const hasBuffer = d.outWidth > 1 && d.windowHeight > 1;
  const step = take.and(pos.active);
  // With one window column, acc carries the window across its rows; otherwise only along a row.
  const accLoad = hasAcc ? m.wire('acc_load', step.and(d.outWidth === 1 ? pos.lastColumn.and(pos.lastRow).not() : pos.lastColumn.not())) : undefined;
  const accs = hasAcc ? Array.from({ length: n }, (_, ch) => m.reg(`acc${ch}`, r.shape, { reset: 'none' })) : [];
  let buffered: Expr[] = [];
  const bufferData = hasBuffer ? m.wire(r.bufferName, unsigned(n * w)) : undefined;
  if (hasBuffer) {
    const word = m.ram('rows_buffer', {
      shape: unsigned(n * w),
      writeAddr: pos.column!,
      writeData: bufferData!,
      writeEnable: step.and(pos.lastColumn).and(pos.lastRow.not()),
      readAddr: pos.column!,
      read: 'async',
    });
    buffered = Array.from({ length: n }, (_, ch) => {
      const bits = word.slice((ch + 1) * w - 1, ch * w);
      return r.shape.signed ? bits.asSigned() : bits;
    });
  }
  const start = d.count > 1 ? m.wire('window_start', pos.firstColumn.and(pos.firstRow)) : undefined;
  const out: Expr[] = [];
  for (let ch = 0; ch < n; ch++) {
    const x = pixels[ch]!;
    if (!hasAcc && !hasBuffer) {
      out.push(x); // a 1x1 window is the pixel
      continue;
    }
    const base = hasAcc && hasBuffer ? mux(pos.firstColumn, buffered[ch]!, accs[ch]!) : hasBuffer ? buffered[ch]! : accs[ch]!;
    const s = m.wire(r.laneName(ch), mux(start!, x, r.combine(base, x)));
    if (hasAcc) m.update(accs[ch]!, s, { enable: accLoad! });
    out.push(s);
  }
  if (bufferData !== undefined) m.assign(bufferData, cat(...[...out].reverse().map((s) => s.asUnsigned())));
  return out;
}
