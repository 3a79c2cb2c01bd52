/**
 * The stream side both pooling units share: the ports, the input handshake,
 * the window walk, and the hand-over of a completed window to the output
 * pipeline. A pixel is taken every cycle in_valid is high, except a
 * window-completing pixel while the pipeline cannot take the window.
 */
import { unsigned } from '../../../src/arith/index.ts';
import type { Expr, Signal } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';
import type { Stream } from '../../dsl/moduleTypes.ts';
import type { LaneLayout } from '../elementwise/laneLayout.ts';
import type { PoolGeometry } from './poolGeometry.ts';
import { type WindowPosition, windowWalk } from './windowWalk.ts';

export interface PoolStream {
  readonly inp: Stream;
  readonly out: Stream;
  /** The input handshake; an expression (not a wire) because a 1-pixel window with one output per image reads it nowhere. */
  readonly take: Expr;
  readonly pos: WindowPosition;
  /** The pixel at the head completes a window. */
  readonly completes: Signal;
  /** The completed window, offered to the output pipeline (its data are the lanes, not this stream's data). */
  readonly window: Stream;
}

export function poolStream(m: Module, d: PoolGeometry & { readonly input: LaneLayout; readonly output: LaneLayout }): PoolStream {
  const u1 = unsigned(1);
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  const take = inp.valid.and(inp.ready);
  const pos = windowWalk(m, d, take);
  const completes = m.wire('completes', pos.active.and(pos.lastColumn).and(pos.lastRow));
  const winValid = m.wire('win_valid', u1);
  const winReady = m.wire('win_ready', u1);
  m.assign(inp.ready, completes.not().or(winReady));
  m.assign(winValid, inp.valid.and(completes));
  return { inp, out, take, pos, completes, window: { valid: winValid, ready: winReady, data: inp.data } };
}
