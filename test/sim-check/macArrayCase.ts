// A MAC array test case: seeded stimulus (with corner tiles), the expected
// tiles from the reference model's pointwise kernel, and the packed words.
import { maxOf, minOf } from '../../src/arith/index.ts';
import { pointwiseAccumulate } from '../../src/ref/index.ts';
import { macArrayConfig, macArrayShapes } from '../../hdl-gen/units/macArray/config.ts';
import type { MacArrayConfig, MacArrayConfigInput } from '../../hdl-gen/units/macArray/config.ts';
import { packMacStep, packMacTile } from '../../hdl-gen/units/macArray/transaction.ts';
import { decodeWeight, encodeWeight, weightRange } from '../../hdl-gen/units/macArray/weightEncoding.ts';
import { seededValues } from '../sim/helpers.ts';

export interface MacCase {
  config: MacArrayConfig;
  inputs: bigint[];
  expected: bigint[];
  tiles: number;
}

// Constant tiles at each pair of extremes reach both ends of the accumulator
// range (the product's extremes are products of operand extremes).
type Corner = 'random' | 'maxmax' | 'minmin' | 'minmax' | 'maxmin' | 'alternate';
export const CORNERS: readonly Corner[] = ['maxmax', 'minmin', 'minmax', 'maxmin', 'alternate'];

/** Weight bit patterns and activation values of one tile, depth x rows / depth x cols. */
function tileStimulus(c: MacArrayConfig, corner: Corner, seed: number): { w: bigint[][]; x: bigint[][] } {
  const s = macArrayShapes(c);
  const wr = weightRange(s.weight);
  const aLo = minOf(s.activation);
  const aHi = maxOf(s.activation);
  const enc = (v: bigint): bigint => encodeWeight(s.weight, v);
  if (corner === 'random') {
    // Raw bit patterns: every code, including ternary's 10, gets exercised.
    const wb = seededValues(seed, c.depth * c.rows, c.weightBits);
    const xb = seededValues(seed ^ 0x5a5a5a, c.depth * c.cols, c.activationBits);
    const xv = xb.map((b) => (s.activation.signed ? BigInt.asIntN(c.activationBits, b) : b));
    return {
      w: Array.from({ length: c.depth }, (_, k) => wb.slice(k * c.rows, (k + 1) * c.rows)),
      x: Array.from({ length: c.depth }, (_, k) => xv.slice(k * c.cols, (k + 1) * c.cols)),
    };
  }
  const pick = (k: number, r: number): { wv: bigint; xv: bigint } => {
    switch (corner) {
      case 'maxmax':
        return { wv: wr.hi, xv: aHi };
      case 'minmin':
        return { wv: wr.lo, xv: aLo };
      case 'minmax':
        return { wv: wr.lo, xv: aHi };
      case 'maxmin':
        return { wv: wr.hi, xv: aLo };
      default:
        return (k + r) % 2 === 0 ? { wv: wr.hi, xv: aHi } : { wv: wr.lo, xv: aLo };
    }
  };
  return {
    w: Array.from({ length: c.depth }, (_, k) => Array.from({ length: c.rows }, (_, r) => enc(pick(k, r).wv))),
    x: Array.from({ length: c.depth }, (_, k) => Array.from({ length: c.cols }, (_, col) => pick(k, col).xv)),
  };
}

/** tile[r][c] = sum_k w[k][r] x[k][c], computed by src/ref's pointwise kernel (pixels = cols, outC = rows, inC = depth). */
export function referenceTile(c: MacArrayConfig, w: bigint[][], x: bigint[][]): bigint[][] {
  const s = macArrayShapes(c);
  if (s.acc.width > 53) throw new Error(`referenceTile: accumulator ${s.acc.width} bits is beyond exact doubles`);
  const xs = new Int32Array(c.cols * c.depth);
  const ws = new Int32Array(c.rows * c.depth);
  for (let k = 0; k < c.depth; k++) {
    for (let col = 0; col < c.cols; col++) xs[col * c.depth + k] = Number(x[k]![col]!);
    for (let r = 0; r < c.rows; r++) ws[r * c.depth + k] = Number(decodeWeight(s.weight, w[k]![r]!));
  }
  const acc = new Float64Array(c.cols * c.rows);
  pointwiseAccumulate(xs, c.cols, c.depth, ws, c.rows, acc);
  const lo = minOf(s.acc);
  const hi = maxOf(s.acc);
  return Array.from({ length: c.rows }, (_, r) =>
    Array.from({ length: c.cols }, (_, col) => {
      const v = BigInt(acc[col * c.rows + r]!);
      if (v < lo || v > hi) throw new Error(`referenceTile: ${v} does not fit the accumulator: the width rule is wrong`);
      return v;
    }),
  );
}

/** The corner tiles first (when asked), then `randomTiles` seeded random tiles. */
export function macCase(raw: MacArrayConfigInput, seed: number, randomTiles: number, corners = true): MacCase {
  const config = macArrayConfig.parse(raw);
  const kinds: Corner[] = [...(corners ? CORNERS : []), ...Array.from({ length: randomTiles }, () => 'random' as const)];
  const inputs: bigint[] = [];
  const expected: bigint[] = [];
  kinds.forEach((corner, t) => {
    const { w, x } = tileStimulus(config, corner, seed * 7919 + t);
    for (let k = 0; k < config.depth; k++) inputs.push(packMacStep(config, w[k]!, x[k]!));
    expected.push(packMacTile(config, referenceTile(config, w, x)));
  });
  return { config, inputs, expected, tiles: kinds.length };
}

