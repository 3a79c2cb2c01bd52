/**
 * The max-pooling unit as a stream module (clk, rst, in_*, out_*): the
 * average-pooling unit's walk with the sum replaced by a maximum.
 *
 * Input: one pixel per transaction, all channels (pack.ts), images in raster
 * order. Output: one pooled pixel per transaction, in raster order of the
 * output. Per channel one comparator keeps the window's running maximum:
 *   - acc holds the maximum of the current window row so far (and, when there
 *     is one window column, of the whole window so far);
 *   - the row buffer (a RAM of outWidth words, async read) holds, per window
 *     column, the maximum of the window rows already finished;
 *   - a window's first pixel starts a new maximum (no compare), so N-1
 *     compares per window.
 * The pixel completing a window hands the maximum to a one-stage pipeline
 * (elementwise lanePipeline): latency 1. The output is one of the inputs, so
 * it keeps the input's shape.
 *
 * Timing promise, as the average-pooling unit's: a pixel is taken every cycle
 * in_valid is high, except a window-completing pixel while the output stage
 * is full and stalled; an image's last maximum waits, besides, for the
 * image's last pixel (../avgPool/imageDrain.ts). With out_ready always high:
 * one pixel per cycle; timing.ts gives the exact cycle count.
 */
import { mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { readLanes } from '../elementwise/laneLayout.ts';
import { drainedOutput } from '../avgPool/imageDrain.ts';
import { poolStream } from '../avgPool/poolStream.ts';
import { windowReduce } from '../avgPool/windowReduce.ts';
import { type MaxPoolConfig, deriveMaxPool } from './config.ts';

export function generateMaxPool(c: MaxPoolConfig): Module {
  const d = deriveMaxPool(c);
  const m = new Module(c.name, {
    generator: 'max_pool',
    config: toJsonValue(c),
    description:
      `${c.kernel === 'global' ? 'global' : `${c.kernel}x${c.kernel}`} max pooling of ${c.channels} channels of ` +
      `${c.height}x${c.width} ${c.inputSigned ? 's' : 'u'}${c.inputBits} images, latency ${d.latency}`,
  });
  const { inp, out, take, pos, completes, window } = poolStream(m, d);

  const maxima = windowReduce(m, d, readLanes(m, d.input, inp.data).map((l) => l['x']!), pos, take, {
    shape: d.value,
    combine: (partial, x) => mux(x.gt(partial), x, partial),
    bufferName: 'rows_max',
    laneName: (ch) => `max${ch}`,
  });
  lanePipeline(m, window, drainedOutput(m, d, out, pos, take, completes, 'max'), maxima.map((x) => ({ x })), [stage(['x'], (l) => ({ out: l.x }))]);
  return m;
}
