/**
 * The image-boundary rule: an image's last average is handed over only after
 * the image's last pixel has been taken. It matters only when pixels follow
 * the last window (cropped right columns of the last window row, cropped
 * bottom rows); other geometries get no logic from here.
 *
 * Why: a producer or a test that counts outputs per image (the co-simulation
 * harness ends a frame at its last expected output) must find the unit back
 * at the start of an image when the last output has left; otherwise the
 * cropped pixels still in flight would be read as the next image's first.
 * The cost is latency on that one output (it waits for the tail, at one
 * pixel per cycle) and never throughput: the tail pixels are taken whatever
 * the output does, and no window of the next image completes before them.
 *
 * How: `pending` is set when the image's last window completes (a window
 * counter at the input) and cleared when the tail's last pixel is taken; an
 * output counter says when the average at out_data is the image's last, and
 * that one is held back (out_valid low, pipeline not advanced) while pending.
 */
import { unsigned } from '../../../src/arith/index.ts';
import type { Expr } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';
import type { Stream } from '../../dsl/moduleTypes.ts';
import { type PoolGeometry, lastWindowPixelOf } from './poolGeometry.ts';
import { type WindowPosition, counter } from './windowWalk.ts';

const u1 = unsigned(1);

/** True when pixels follow an image's last window. */
export function hasTail(d: PoolGeometry): boolean {
  return lastWindowPixelOf(d) < d.config.width * d.config.height - 1;
}

/**
 * The stream the division pipeline drives: `out` itself, or (with a tail) an
 * internal stream gated onto `out` as described above.
 */
export function drainedOutput(m: Module, d: PoolGeometry, out: Stream, pos: WindowPosition, take: Expr, completes: Expr, prefix = 'avg'): Stream {
  if (!hasTail(d)) return out;
  const perImage = d.outWidth * d.outHeight;
  const inner: Stream = { valid: m.wire(`${prefix}_valid`, u1), ready: m.wire(`${prefix}_ready`, u1), data: m.wire(`${prefix}_data`, out.data.shape) };
  const windowDone = take.and(completes);
  const lastIn = counter(m, 'win_count', perImage, windowDone);
  const pending = m.reg('tail_pending', u1, { reset: 0 });
  // The last window's pixel is never the tail's last pixel (there is a tail), so set and clear never coincide.
  m.update(pending, windowDone.and(lastIn.last).or(pending.and(take.and(pos.tailEnd).not())));
  const hold = m.wire('hold_last', u1);
  const handshake = out.valid.and(out.ready);
  const lastOut = counter(m, 'out_count', perImage, handshake);
  // An output already offered and not taken stays offered (valid/ready: never
  // retract valid): pending may be set meanwhile by the NEXT image's last
  // window, and that hold is for the next image's last output, not this one.
  // (Found by the slow-consumer run that mutation testing led to.)
  const offered = m.reg('out_offered', u1, { reset: 0 });
  m.update(offered, out.valid.and(out.ready.not()));
  m.assign(hold, pending.and(lastOut.last).and(offered.not()));
  m.assign(out.valid, inner.valid.and(hold.not()));
  m.assign(inner.ready, out.ready.and(hold.not()));
  m.assign(out.data, inner.data);
  return inner;
}
