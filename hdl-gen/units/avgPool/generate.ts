/**
 * The average-pooling unit as a stream module (clk, rst, in_*, out_*).
 *
 * Input: one pixel per transaction, all channels (pack.ts), images in raster
 * order. Output: one pooled pixel per transaction, in raster order of the
 * output. Per channel one adder adds the pixel to the window's running sum:
 *   - acc holds the sum of the current window row so far (and, when there is
 *     one window column, of the whole window so far);
 *   - the partial-sum buffer (a RAM of outWidth words, async read) holds, per
 *     window column, the sum of the window rows already finished;
 *   - a window's first pixel starts a new sum (no add), so N-1 adds per window.
 * The pixel completing a window hands the sum to the division pipeline
 * (elementwise lanePipeline, one lane per channel):
 *   N = 2^p:  s0 sum | s1 roundShift(sum, p)                      latency 2
 *   other N:  s0 sum | s1 sum*m | s2 + B | s3 >> L, bit-0 fix      latency 4
 * (src/arith/reciprocalDivide.ts has the construction and its proof).
 *
 * Timing promise: a pixel is taken every cycle in_valid is high, except a
 * window-completing pixel while the division pipeline is full and stalled
 * (in_ready = !completes | pipeline ready). Its result is offered `latency`
 * cycles after its handshake; an image's last average waits, besides, for
 * the image's last pixel (imageDrain.ts: only where cropped pixels follow the
 * last window). With out_ready always high nothing ever stalls: one pixel
 * per cycle; timing.ts gives the exact cycle count.
 */
import { cat, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { type StageFn, lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { readLanes } from '../elementwise/laneLayout.ts';
import { type AvgPoolDerived, type Division, type AvgPoolConfig, deriveAvgPool } from './config.ts';
import { drainedOutput } from './imageDrain.ts';
import { poolStream } from './poolStream.ts';
import { windowReduce } from './windowReduce.ts';

export function generateAvgPool(c: AvgPoolConfig): Module {
  const d = deriveAvgPool(c);
  const m = new Module(c.name, {
    generator: 'avg_pool',
    config: toJsonValue(c),
    description:
      `${c.kernel === 'global' ? 'global' : `${c.kernel}x${c.kernel}`} average pooling of ${c.channels} channels of ` +
      `${c.height}x${c.width} ${c.inputSigned ? 's' : 'u'}${c.inputBits} images, ${c.rounding}, latency ${d.latency}`,
  });
  const { inp, out, take, pos, completes, window } = poolStream(m, d);

  // Every partial sum of a window lies in the whole window's range, so the sum shape holds it exactly.
  const sums = windowReduce(m, d, readLanes(m, d.input, inp.data).map((l) => l['x']!.resize(d.sum)), pos, take, {
    shape: d.sum,
    combine: (partial, x) => partial.add(x).resize(d.sum),
    bufferName: 'rows_sum',
    laneName: (ch) => `sum${ch}`,
  });
  lanePipeline(m, window, drainedOutput(m, d, out, pos, take, completes), sums.map((s) => ({ sum: s })), divisionStages(d));
  return m;
}

function divisionStages(d: AvgPoolDerived): readonly StageFn[] {
  const div: Division = d.division;
  const value = d.value;
  if (div.kind === 'shift') {
    return [stage(['sum'], (l) => ({ s: l.sum })), stage(['s'], (l) => ({ out: l.s.roundShift(div.shift, d.mode).resize(value) }))];
  }
  const plan = div.plan;
  const offset = div.offset;
  const w = value.width;
  return [
    stage(['sum'], (l) => ({ s: l.sum })),
    stage(['s'], (l) => ({ p: l.s.mul(constant(plan.multiplier, div.multiplier)) })),
    stage(['p'], (l) => {
      const p = l.p;
      if (offset === undefined) return { r: p };
      const pos = constant(plan.offsetNonNegative, offset);
      // B depends on the sign of the sum only for rna with an even N; p < 0 exactly when the sum is (m > 0).
      const b = plan.offsetNegative === plan.offsetNonNegative || !p.shape.signed ? pos : mux(p.bit(p.shape.width - 1), constant(plan.offsetNegative, offset), pos);
      return { r: p.add(b) };
    }),
    stage(['r'], (l) => {
      const r = l.r;
      // floor((P + B) / 2^L) is the average, inside the input's range: the resize is exact.
      const q = r.shr(plan.shift).resize(value);
      if (plan.flag === 'none') return { out: q };
      // The top j fraction bits are all zero exactly when N divides S + c (src/arith/reciprocalDivide.ts).
      const divides = r.slice(plan.shift - 1, plan.shift - plan.flagBits).eq(0);
      const bit0 = plan.flag === 'tieToEven' ? q.bit(0).and(divides.not()) : q.bit(0).or(divides.not());
      const bits = w === 1 ? bit0 : cat(q.slice(w - 1, 1), bit0);
      return { out: value.signed ? bits.asSigned() : bits };
    }),
  ];
}
