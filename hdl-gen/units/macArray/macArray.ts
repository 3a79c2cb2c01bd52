/**
 * macArray: rows x cols output-stationary MAC array (see transaction.ts for
 * the stream format and docs/units.md for why output-stationary).
 *
 * Pipeline: a step accepted in cycle t is multiplied into every PE's product
 * register at the end of t, added into the accumulators at the end of t+1,
 * and, on the K-th step, copied into the PEs' output registers at the same
 * edge, so the tile is offered in cycle t+2. One step per cycle, no bubble
 * between tiles: the output registers hold a tile while the next accumulates.
 * Backpressure: only the last step of a tile waits for the output registers.
 */
import { unsigned } from '../../../src/arith/index.ts';
import { bus } from '../../dsl/busShape.ts';
import { type Expr, cat, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { defineGenerator } from '../../config/defineGenerator.ts';
import { type MacArrayConfig, macArrayConfig, macArrayShapes } from './config.ts';
import { macPe } from './pe.ts';

const u1 = unsigned(1);

export function macArray(c: MacArrayConfig): Module {
  const s = macArrayShapes(c);
  const m = new Module(c.name, {
    generator: 'mac_array',
    config: c,
    description:
      `${c.rows}x${c.cols} output-stationary MAC array, ${c.depth} steps per tile, ` +
      `${c.weightKind} ${c.weightBits}-bit weights, ${c.activationSigned ? 's' : 'u'}${c.activationBits} activations, ` +
      `exact ${s.acc.signed ? 's' : 'u'}${s.acc.width} accumulators`,
  });
  const inp = m.streamIn('in', bus(s.inWidth));
  const out = m.streamOut('out', bus(s.outWidth));

  const pValid = m.reg('p_valid', u1, { reset: 0 });
  const outValid = m.reg('out_valid_q', u1, { reset: 0 });
  const outFree = m.wire('out_free', outValid.not().or(out.ready));

  let pLast: Expr;
  let pFirst: Expr | undefined;
  let load: Expr;
  let take: Expr;
  if (c.depth === 1) {
    pLast = constant(1, u1);
    take = m.wire('take', pValid.and(outFree));
    const pReady = m.wire('p_ready', pValid.not().or(take));
    load = m.wire('load', inp.valid.and(pReady));
    m.update(pValid, inp.valid, { enable: pReady });
    m.assign(inp.ready, pReady);
  } else {
    const cntShape = unsigned(Math.ceil(Math.log2(c.depth)));
    const cnt = m.reg('step_count', cntShape, { reset: 0 });
    const cntLast = m.wire('count_last', cnt.eq(c.depth - 1));
    const lastQ = m.reg('p_last', u1, { reset: 'none' });
    const firstQ = m.reg('p_first', u1, { reset: 'none' });
    // Only the last step of a tile needs the output registers free.
    take = m.wire('take', pValid.and(lastQ.not().or(outFree)));
    const pReady = m.wire('p_ready', pValid.not().or(take));
    load = m.wire('load', inp.valid.and(pReady));
    m.update(pValid, inp.valid, { enable: pReady });
    m.update(cnt, mux(cntLast, constant(0, cntShape), cnt.add(1).resize(cntShape)), { enable: load });
    m.update(lastQ, cntLast, { enable: load });
    m.update(firstQ, cnt.eq(0), { enable: load });
    m.assign(inp.ready, pReady);
    pLast = lastQ;
    pFirst = firstQ;
  }
  m.update(outValid, take.and(pLast).or(outValid.and(out.ready.not())));
  m.assign(out.valid, outValid);

  const pe = macPe(c, s);
  const results: Expr[] = [];
  const wBase = c.cols * c.activationBits;
  for (let r = 0; r < c.rows; r++) {
    for (let col = 0; col < c.cols; col++) {
      const a = col * c.activationBits;
      const w = wBase + r * c.weightBits;
      const inst = m.instance(`pe_r${r}_c${col}`, pe, {
        weight: inp.data.slice(w + c.weightBits - 1, w),
        act: inp.data.slice(a + c.activationBits - 1, a),
        load,
        step: take,
        ...(pFirst !== undefined ? { first: pFirst, last: pLast } : {}),
      });
      results.push(inst.out('result'));
    }
  }
  // cat puts its first part in the high bits: PE (0, 0) goes last, to bit 0.
  m.assign(out.data, cat(...results.reverse()).asUnsigned());
  return m;
}

export const macArrayGenerator = defineGenerator({
  name: 'mac_array',
  description: 'rows x cols output-stationary MAC array: one K-step per transaction, the finished tile every depth steps',
  schema: macArrayConfig,
  defaultConfig: { rows: 4, cols: 4, depth: 16 },
  lintPoints: [
    { rows: 1, cols: 1, depth: 1, weightKind: 'binary', activationBits: 1 },
    { rows: 1, cols: 3, depth: 2, weightKind: 'ternary', activationBits: 1, activationSigned: true },
    { rows: 2, cols: 5, depth: 7, weightBits: 1, weightSigned: false, activationBits: 8, activationSigned: true },
    { rows: 3, cols: 2, depth: 64, weightBits: 8, activationBits: 8, activationSigned: true },
    { rows: 8, cols: 8, depth: 1024, weightKind: 'ternary', activationBits: 4 },
    { rows: 16, cols: 16, depth: 256, weightBits: 4, activationBits: 4 },
    { rows: 32, cols: 32, depth: 512, weightBits: 8, activationBits: 8 },
  ],
  generate: macArray,
});
