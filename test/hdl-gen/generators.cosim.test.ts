// Each registered generator, co-simulated against an independent TypeScript
// model of what it computes: always ready, under seeded backpressure, and an
// Icarus prefix (sim/check's checkUnit). Inputs include the corners (all
// activations and weights at max, at min, alternating, zero) where an
// undersized accumulator would overflow.
import { describe, expect, it } from 'vitest';
import { type Shape, fromBits, maxOf, minOf, roundShift, shape, toBits } from '../../src/arith/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { checkUnit } from '../../sim/check/index.ts';
import { prng } from './fuzz/fuzzInputs.ts';

const rand = prng(0x5eed);

function randomValue(s: Shape): bigint {
  let v = 0n;
  for (let got = 0; got < s.width; got += 30) v = (v << 30n) | BigInt(Math.floor(rand() * 2 ** 30));
  return fromBits(BigInt.asUintN(s.width, v), s);
}

function pack(fields: readonly { v: bigint; s: Shape }[]): bigint {
  let word = 0n;
  let at = 0n;
  for (const f of fields) {
    word |= toBits(f.v, f.s) << at;
    at += BigInt(f.s.width);
  }
  return word;
}

async function check(unit: string, config: unknown, inputs: bigint[], expected: bigint[], inputsPerOutput = 1) {
  const g = findGenerator(unit)!;
  const design = emitDesign(g.build(config), { romInit: 'inline' });
  const r = await checkUnit(design, inputs, expected, {
    describe: `${unit} ${JSON.stringify(config)}`,
    backpressureSeeds: [3, 4],
    inputsPerOutput,
    build: { log: () => {} },
  });
  expect(r.compared).toBeGreaterThanOrEqual(expected.length * 3);
  expect(r.inHandshakes).toBe(inputs.length);
  return r;
}

function dotProductCase(lanes: number, a: Shape, w: Shape, count: number) {
  const corners: { x: bigint[]; w: bigint[] }[] = [
    { x: Array(lanes).fill(maxOf(a)), w: Array(lanes).fill(maxOf(w)) },
    { x: Array(lanes).fill(maxOf(a)), w: Array(lanes).fill(minOf(w)) },
    { x: Array(lanes).fill(minOf(a)), w: Array(lanes).fill(minOf(w)) },
    { x: Array(lanes).fill(minOf(a)), w: Array(lanes).fill(maxOf(w)) },
    { x: Array.from({ length: lanes }, (_, i) => (i % 2 ? maxOf(a) : minOf(a))), w: Array.from({ length: lanes }, (_, i) => (i % 2 ? minOf(w) : maxOf(w))) },
    { x: Array(lanes).fill(0n), w: Array(lanes).fill(0n) },
  ];
  const txs = [...corners];
  while (txs.length < count) {
    txs.push({ x: Array.from({ length: lanes }, () => randomValue(a)), w: Array.from({ length: lanes }, () => randomValue(w)) });
  }
  const inputs = txs.map((t) => pack([...t.x.map((v) => ({ v, s: a })), ...t.w.map((v) => ({ v, s: w }))]));
  const sums = txs.map((t) => t.x.reduce((s, x, i) => s + x * t.w[i]!, 0n));
  return { inputs, sums };
}

describe('generators co-simulated against TypeScript models', () => {
  it('dot_product default: 16 lanes, s4 weights x u4 activations, exact accumulator', async () => {
    const { inputs, sums } = dotProductCase(16, shape(4, false), shape(4, true), 300);
    // Sums lie in 16 x [-8 x 15, 7 x 15] = [-1920, 1680]: an s12 accumulator,
    // whose every bit the corners need.
    await check('dot_product', {}, inputs, sums.map((s) => BigInt.asUintN(12, s)));
    expect(sums).toContain(16n * 15n * 7n);
    expect(sums).toContain(16n * 15n * -8n);
  });

  it('dot_product s8 x s8, 5 lanes, with the output skid buffer instance', async () => {
    const { inputs, sums } = dotProductCase(5, shape(8, true), shape(8, true), 300);
    const config = { lanes: 5, weightBits: 8, weightSigned: true, activationBits: 8, activationSigned: true, outputSkid: true };
    // 5 x (-128 x -128) = 81920 needs s18.
    await check('dot_product', config, inputs, sums.map((s) => BigInt.asUintN(18, s)));
    expect(sums).toContain(81_920n);
  });

  it('skid_buffer passes every word through once, in order', async () => {
    const words = Array.from({ length: 400 }, () => randomValue(shape(37, false)));
    await check('skid_buffer', { width: 37 }, words, words);
  });

  it('fifo (2 entries) passes every word through once, in order', async () => {
    const words = Array.from({ length: 400 }, () => randomValue(shape(9, false)));
    await check('fifo', { width: 9, depthLog2: 1 }, words, words);
  });

  it('lookup_table (ROM inline): square of s4 saturated to u8', async () => {
    const codes = Array.from({ length: 200 }, (_, i) => BigInt(i % 16));
    const expected = codes.map((c) => {
      const x = fromBits(c, shape(4, true));
      return x * x;
    });
    await check('lookup_table', {}, codes, expected);
  });

  it('comb_expr default: roundShift(s8 x u8, 4, rnu)', async () => {
    const pairs = Array.from({ length: 300 }, () => ({ x: randomValue(shape(8, true)), y: randomValue(shape(8, false)) }));
    pairs.unshift({ x: -128n, y: 255n }, { x: 127n, y: 255n }, { x: -1n, y: 8n }, { x: 1n, y: 8n });
    const inputs = pairs.map((p) => pack([{ v: p.x, s: shape(8, true) }, { v: p.y, s: shape(8, false) }]));
    const expected = pairs.map((p) => BigInt.asUintN(13, roundShift(p.x * p.y, 4, 'rnu')));
    await check('comb_expr', findGenerator('comb_expr')!.defaultConfig, inputs, expected);
  });
});
