/**
 * The requantizer as a stream module (stream convention: clk, rst, in_*, out_*).
 *
 * doubleQuant, 4 register stages (latency 4 cycles, one transaction per cycle):
 *   s0: n = acc + bias          s1: p = n * Q
 *   s2: r = roundShift(p, S)    s3: q = saturate(r, out)
 * tflite, 5 register stages (latency 5 cycles, one transaction per cycle):
 *   s0: a = int32(acc + bias)   (C int32 addition; the reference refuses sums outside int32)
 *   s1: p = a * M               (the exact 64-bit product)
 *   s2: x = SRDHM = floor((p + 2^30) / 2^31), +2^31 saturated to INT32_MAX.
 *       gemmlowp's nudge (1 - 2^30 for negative p) with C's truncating
 *       division equals this one floor for every p: for p < 0,
 *       trunc((p + 1 - 2^30) / 2^31) = ceil(...) = floor((p + 2^30) / 2^31).
 *       The only overflow (a = M = INT32_MIN gives +2^31) is a two-bit test.
 *   s3: y = RoundingDivideByPOT(x, e) = roundShift(x, e, rna): one barrel
 *       shift of 2x by e gives floor(x / 2^e) and the half bit; ties go away
 *       from zero (up unless x < 0 and no bit below the half bit is set).
 *   s4: q = saturate(y + zeroPoint, out)
 */
import { type Shape, maxOf, shape, unsigned } from '../../../src/arith/index.ts';
import { type Expr, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';
import { toJsonValue } from '../../config/jsonValue.ts';
import { type StageFn, lanePipeline, stage } from '../elementwise/lanePipeline.ts';
import { type LaneExprs, readLanes } from '../elementwise/laneLayout.ts';
import { type DoubleQuantDerived, INT32, type RequantizerConfig, type TfliteDerived, deriveRequantizer } from './config.ts';

export function generateRequantizer(c: RequantizerConfig): Module {
  const d = deriveRequantizer(c);
  const m = new Module(c.name, {
    generator: 'requantizer',
    config: toJsonValue(c),
    description:
      d.variant === 'tflite'
        ? `TFLite fixed-point requantizer, ${c.lanes} lanes, 5 stages`
        : `double-quantized requantizer, ${c.lanes} lanes, 4 stages`,
  });
  const inp = m.streamIn('in', d.input.shape);
  const out = m.streamOut('out', d.output.shape);
  const lanes = readLanes(m, d.input, inp.data);
  if (d.variant === 'tflite') lanePipeline(m, inp, out, lanes, tfliteStages(d));
  else lanePipeline(m, inp, out, lanes, doubleQuantStages(d));
  return m;
}

function doubleQuantStages(d: DoubleQuantDerived): readonly StageFn[] {
  const c = d.config;
  // The layout carries bias only with c.bias and scale only without a per-tensor scale (config.ts).
  const scaleOf = (l: LaneExprs): Expr => (c.tensorScale === undefined ? l['scale']! : constant(c.tensorScale, d.scale));
  return [
    stage(['acc'], (l) => ({ n: c.bias ? l.acc.add(l['bias']!) : l.acc, ...(c.tensorScale === undefined ? { scale: l['scale']! } : {}) })),
    stage(['n'], (l) => ({ p: l.n.mul(scaleOf(l)) })),
    stage(['p'], (l) => ({ r: l.p.roundShift(c.shift, c.rounding) })),
    stage(['r'], (l) => ({ out: l.r.saturate(d.out) })),
  ];
}

const INT32_MAX = constant(maxOf(INT32), INT32);

/** roundShift(x, e, 'rna') for a run-time exponent e (0..31) of an int32 x. */
function roundingDivideByPot(x: Expr, e: Expr): Expr {
  // t = floor(2x / 2^e): its bit 0 is bit e-1 of x (the half bit; 0 when e = 0), t >> 1 = floor(x / 2^e).
  const t = x.shl(1).shr(e);
  const floor = t.shr(1);
  const half = t.bit(0);
  // Bits of x below the half bit: mask = 2^(e-1) - 1 (0 for e <= 1), a decoder of e.
  const ones = constant((1n << 32n) - 1n, unsigned(32));
  // ones >> (31 - e) = 2^(e+1) - 1; 31 - e of a 5-bit e is its complement.
  const below = ones.shr(e.not()).shr(2);
  const sticky = x.asUnsigned().and(below).ne(0);
  const negative = x.bit(31);
  const inc = half.and(sticky.or(negative.not()));
  return floor.add(inc);
}

function tfliteStages(d: TfliteDerived): readonly StageFn[] {
  const zp = d.config.outputZeroPoint;
  return [
    stage(['acc', 'bias', 'multiplier', 'exponent'], (l) => ({ a: l.acc.add(l.bias).resize(INT32), multiplier: l.multiplier, exponent: l.exponent })),
    stage(['a', 'multiplier', 'exponent'], (l) => ({ p: l.a.mul(l.multiplier), exponent: l.exponent })),
    stage(['p', 'exponent'], (l) => {
      const r = l.p.roundShift(31, 'rnu'); // s34 in [-2^31 + 1, 2^31]
      const overflow = r.bit(31).and(r.bit(r.shape.width - 1).not());
      return { x: mux(overflow, INT32_MAX, r.resize(INT32)), exponent: l.exponent };
    }),
    stage(['x', 'exponent'], (l) => ({ y: roundingDivideByPot(l.x, l.exponent) })),
    stage(['y'], (l) => ({ out: l.y.add(constant(zp, zeroPointShape(zp))).saturate(d.out) })),
  ];
}

/** The zero point as an 8-bit constant: int8 below 128 (TFLite's int8 convention), uint8 from 128 (its uint8 one). */
function zeroPointShape(zp: number): Shape {
  return shape(8, zp < 128);
}
