/**
 * depthwise: a k x k depthwise convolution engine over a pixel stream.
 *
 * The engine walks the zero-padded raster one position per cycle. At a real
 * position it takes a pixel from the stream; at a padding position it
 * inserts zeros without waiting for input. Each pushed column goes through a
 * line buffer (one RAM word per column holds the k-1 rows above) into k x k
 * window registers; when the position completes an output window (given
 * stride), the next cycle multiplies the window by the per-channel weights
 * (all channels x k^2 taps at once), sums each channel's k^2 products in an
 * adder tree into the exact accumulator width and registers the output pixel.
 *
 * Latency: a window completed in cycle t is offered in cycle t + 2. The
 * stream format and the timing promise are in transaction.ts.
 */
import { MAX_WIDTH, unsigned } from '../../../src/arith/index.ts';
import { bus } from '../../dsl/busShape.ts';
import { type Expr, cat, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import type { Signal } from '../../dsl/expr.ts';
import { defineGenerator } from '../../config/defineGenerator.ts';
import { sum } from '../../lib/sum.ts';
import { type DepthwiseConfig, type DepthwiseGeometry, depthwiseConfig, depthwiseGeometry } from './config.ts';

const u1 = unsigned(1);

/**
 * Bits [hi:lo] of a packed bus of any width: arithmetic slices stop at
 * MAX_WIDTH bits, so a wide field is cut into pieces and packed again.
 */
function field(e: Expr, hi: number, lo: number): Expr {
  if (hi - lo + 1 <= MAX_WIDTH) return e.slice(hi, lo);
  const pieces: Expr[] = [];
  for (let b = lo; b <= hi; b += MAX_WIDTH) pieces.unshift(e.slice(Math.min(hi, b + MAX_WIDTH - 1), b));
  return cat(...pieces);
}

function counterWidth(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n)));
}

/** Position counters over the padded raster, advancing on `adv`. */
function raster(m: Module, g: DepthwiseGeometry, adv: Expr): { x: Signal; y: Signal; atStart: Expr } {
  const xs = unsigned(counterWidth(g.paddedWidth));
  const ys = unsigned(counterWidth(g.paddedHeight));
  const x = m.reg('pos_x', xs, { reset: 0 });
  const y = m.reg('pos_y', ys, { reset: 0 });
  const xLast = m.wire('pos_x_last', x.eq(g.paddedWidth - 1));
  const yLast = m.wire('pos_y_last', y.eq(g.paddedHeight - 1));
  m.update(x, mux(xLast, constant(0, xs), x.add(1).resize(xs)), { enable: adv });
  m.update(y, mux(yLast, constant(0, ys), y.add(1).resize(ys)), { enable: adv.and(xLast) });
  return { x, y, atStart: m.wire('at_start', x.eq(0).and(y.eq(0))) };
}

/** 1 when counter value v lies in [lo, hi] (bounds the counter always meets are left out). */
function within(v: Expr, lo: number, hi: number, max: number): Expr {
  const terms: Expr[] = [];
  if (lo > 0) terms.push(v.ge(lo));
  if (hi < max) terms.push(v.le(hi));
  return terms.length === 0 ? constant(1, u1) : terms.reduce((a, b) => a.and(b));
}

/** 1 when position v completes a window along one axis: v >= k-1 and v - (k-1) a multiple of the stride. */
function onGrid(v: Expr, k: number, stride: number): Expr {
  let ok = v.ge(k - 1);
  if (stride > 1) {
    const b = Math.log2(stride);
    ok = ok.and(v.slice(b - 1, 0).eq((k - 1) % stride));
  }
  return ok;
}

export function depthwise(c: DepthwiseConfig): Module {
  const g = depthwiseGeometry(c);
  const k = c.kernel;
  const PB = g.pixelBits;
  const m = new Module(c.name, {
    generator: 'depthwise',
    config: c,
    description:
      `${k}x${k} depthwise convolution, stride ${c.stride}, padding ${c.padding}, ${c.channels} channels of ` +
      `${c.height}x${c.width} images, ${c.weightSigned ? 's' : 'u'}${c.weightBits} weights x ${c.activationSigned ? 's' : 'u'}${c.activationBits} activations, ` +
      `exact ${g.acc.signed ? 's' : 'u'}${g.acc.width} sums`,
  });
  const inp = m.streamIn('in', bus(g.inWidth));
  const out = m.streamOut('out', bus(g.outDataWidth));

  const outValid = m.reg('out_valid_q', u1, { reset: 0 });
  const emit = m.reg('window_emit', u1, { reset: 0 });
  const outFree = m.wire('out_free', outValid.not().or(out.ready));
  // The window's pending output leaves this cycle (or there is none): the window may move.
  const windowFree = m.wire('window_free', emit.not().or(outFree));
  const fire = m.wire('fire', emit.and(outFree));
  const isTap = m.wire('is_tap', inp.data.bit(g.payloadBits));
  const pixelIn = m.wire('pixel_in', inp.valid.and(isTap.not()));

  const adv = m.wire('advance', u1);
  const pos = raster(m, g, adv);
  const real = m.wire(
    'pos_real',
    within(pos.y, c.padding, c.padding + c.height - 1, g.paddedHeight - 1).and(
      within(pos.x, c.padding, c.padding + c.width - 1, g.paddedWidth - 1),
    ),
  );
  // A real position needs the pixel; the first position of an image waits for
  // its first pixel to be at the head too, so weight taps queued before an
  // image are taken before any of its windows can complete.
  m.assign(adv, windowFree.and(mux(real.or(pos.atStart), pixelIn, constant(1, u1))));
  const tapTake = m.wire('tap_take', inp.valid.and(isTap).and(pos.atStart).and(windowFree));
  m.assign(inp.ready, windowFree.and(mux(isTap, pos.atStart, real)));
  const completes = m.wire('completes', onGrid(pos.y, k, c.stride).and(onGrid(pos.x, k, c.stride)));
  m.update(emit, mux(adv, completes, emit.and(outFree.not())));
  m.update(outValid, fire.or(outValid.and(out.ready.not())));
  m.assign(out.valid, outValid);

  // The pushed pixel: from the stream at real positions, zero in the padding.
  const pixel = m.wire('pixel', mux(real, field(inp.data, PB - 1, 0), constant(0, bus(PB))));
  // Column of k pixels at this x, oldest row first: the line buffer holds the k-1 rows above.
  const column: Expr[] = [];
  if (k > 1) {
    const lbBits = (k - 1) * PB;
    const addr = pos.x;
    const above = m.wire('line_above', bus(lbBits));
    const shifted = k > 2 ? cat(pixel, field(above, lbBits - 1, PB)) : pixel;
    const lineWord = m.ram('line_buffer', { shape: bus(lbBits), writeAddr: addr, writeData: shifted.resize(bus(lbBits)), writeEnable: adv, readAddr: addr, read: 'async' });
    m.assign(above, lineWord);
    for (let r = 0; r < k - 1; r++) column.push(field(above, (r + 1) * PB - 1, r * PB));
  }
  column.push(pixel);

  // Window rows: kx = 0 (oldest column) in the low bits; a new column enters at the top.
  const rows: Signal[] = column.map((px, ky) => {
    const row = m.reg(`window_row${ky}`, bus(k * PB), { reset: 'none' });
    m.update(row, (k > 1 ? cat(px, field(row, k * PB - 1, PB)) : px).resize(bus(k * PB)), { enable: adv });
    return row;
  });

  // Weight taps: a shift chain, so kernel^2 loads leave tap (0, 0) at the bottom.
  const taps: Signal[] = [];
  for (let t = 0; t < g.taps; t++) taps.push(m.reg(`weight_tap${t}`, bus(g.tapBits), { reset: 'none' }));
  const tapIn = field(inp.data, g.tapBits - 1, 0);
  taps.forEach((tap, t) => m.update(tap, t + 1 < g.taps ? taps[t + 1]! : tapIn, { enable: tapTake }));

  const sums: Expr[] = [];
  for (let ch = 0; ch < c.channels; ch++) {
    const products: Expr[] = [];
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        const xLo = kx * PB + ch * c.activationBits;
        const xb = rows[ky]!.slice(xLo + c.activationBits - 1, xLo);
        const wLo = ch * c.weightBits;
        const wb = taps[ky * k + kx]!.slice(wLo + c.weightBits - 1, wLo);
        products.push((c.activationSigned ? xb.asSigned() : xb).mul(c.weightSigned ? wb.asSigned() : wb));
      }
    }
    // The tree grows a bit per level; accumulatorShape proves the sum fits, so the resize is exact.
    sums.push(m.wire(`sum_ch${ch}`, sum(products).resize(g.acc)));
  }
  const held = m.reg('out_data_q', bus(g.outDataWidth), { reset: 'none' });
  m.update(held, cat(...sums.reverse()).resize(bus(g.outDataWidth)), { enable: fire });
  m.assign(out.data, held);
  return m;
}

export const depthwiseGenerator = defineGenerator({
  name: 'depthwise',
  description: 'k x k depthwise convolution over a pixel stream: line buffer, zero padding, stride, per-channel weights loaded in-stream',
  schema: depthwiseConfig,
  defaultConfig: { channels: 4, kernel: 3, stride: 1, width: 8, height: 8 },
  lintPoints: [
    { channels: 1, kernel: 2, stride: 1, padding: 0, width: 2, height: 2, weightBits: 1, activationBits: 1 },
    { channels: 1, kernel: 3, stride: 2, padding: 1, width: 7, height: 5, weightBits: 1, weightSigned: false, activationBits: 8, activationSigned: true },
    { channels: 3, kernel: 5, stride: 1, padding: 2, width: 16, height: 9, weightBits: 8, activationBits: 8 },
    { channels: 8, kernel: 5, stride: 2, padding: 2, width: 32, height: 32, weightBits: 4, activationBits: 4 },
    { channels: 2, kernel: 7, stride: 4, padding: 3, width: 20, height: 11, weightBits: 3, activationBits: 2, activationSigned: true },
    { channels: 16, kernel: 3, stride: 1, padding: 1, width: 112, height: 112, weightBits: 8, activationBits: 8 },
  ],
  generate: depthwise,
});
