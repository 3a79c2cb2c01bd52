// MAC array stimulus and reference: tiles of depth K-steps, the corner tiles
// first (constant tiles at each pair of operand extremes reach both ends of
// the accumulator range; an alternating one), then seeded random tiles of raw
// weight bit patterns (every code, ternary's spare 10 included); the expected
// tiles from src/ref's pointwise kernel.
import { maxOf, minOf } from '../../src/arith/index.ts';
import { pointwiseAccumulate } from '../../src/ref/index.ts';
import {
  type MacArrayConfig,
  type MacArrayConfigInput,
  decodeWeight,
  encodeWeight,
  macArray,
  macArrayConfig,
  macArrayGenerator,
  macArrayInventory,
  macArrayShapes,
  packMacStep,
  packMacTile,
  weightRange,
} from '../../hdl-gen/units/macArray/index.ts';
import { asValues, seededBits } from './rng.ts';
import { defineUnitBench } from './unitBench.ts';

type Corner = 'random' | 'maxmax' | 'minmin' | 'minmax' | 'maxmin' | 'alternate';
export const CORNERS: readonly Corner[] = ['maxmax', 'minmin', 'minmax', 'maxmin', 'alternate'];

/** One tile: weight bit patterns depth x rows, activation values depth x cols. */
export interface MacTile {
  readonly w: bigint[][];
  readonly x: bigint[][];
}

function tileStimulus(c: MacArrayConfig, corner: Corner, seed: number): MacTile {
  const s = macArrayShapes(c);
  const wr = weightRange(s.weight);
  const aLo = minOf(s.activation);
  const aHi = maxOf(s.activation);
  const enc = (v: bigint): bigint => encodeWeight(s.weight, v);
  if (corner === 'random') {
    const wb = seededBits(seed, c.depth * c.rows, c.weightBits);
    const xv = asValues(seededBits(seed ^ 0x5a5a5a, c.depth * c.cols, c.activationBits), c.activationBits, s.activation.signed);
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
export function macTiles(c: MacArrayConfig, seed: number, randomTiles: number, corners = true): MacTile[] {
  const kinds: Corner[] = [...(corners ? CORNERS : []), ...Array.from({ length: randomTiles }, () => 'random' as const)];
  return kinds.map((corner, t) => tileStimulus(c, corner, seed * 7919 + t));
}

const inputsOf = (c: MacArrayConfig, tiles: readonly MacTile[]): bigint[] => tiles.flatMap((t) => t.w.map((w, k) => packMacStep(c, w, t.x[k]!)));
const expectedOf = (c: MacArrayConfig, tiles: readonly MacTile[]): bigint[] => tiles.map((t) => packMacTile(c, referenceTile(c, t.w, t.x)));

export interface MacCase {
  config: MacArrayConfig;
  inputs: bigint[];
  expected: bigint[];
  tiles: number;
}

/** A whole case from a raw config: the tiles, their K-step words and the expected tile words. */
export function macCase(raw: MacArrayConfigInput, seed: number, randomTiles: number, corners = true): MacCase {
  const config = macArrayConfig.parse(raw);
  const tiles = macTiles(config, seed, randomTiles, corners);
  return { config, inputs: inputsOf(config, tiles), expected: expectedOf(config, tiles), tiles: tiles.length };
}

export const macArrayBench = defineUnitBench<MacArrayConfig, MacTile>({
  generator: macArrayGenerator,
  counts: `random tiles (after ${CORNERS.length} corner tiles)`,
  defaultCount: 200,
  module: macArray,
  stimulus: (c, count, seed) => macTiles(c, seed, count),
  inputs: inputsOf,
  expected: expectedOf,
  icarusPrefix(c, tiles, outputs) {
    const n = Math.max(1, Math.min(outputs, tiles.length));
    return { inputs: n * c.depth, outputs: n };
  },
  inventory: macArrayInventory,
  tallyOn: 'in',
});
