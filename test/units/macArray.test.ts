// MAC array: configuration rules, the stream format, exact accumulator widths,
// property co-simulation against src/ref's pointwise kernel (Verilator always
// ready and under backpressure, Icarus on a prefix), lint of the largest array,
// and ACEv2 inventory x handshakes against the analytic tally.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { accumulatorShape, fits, maxOf, minOf, range, rangeOf, shape } from '../../src/arith/index.ts';
import { DEFAULT_COST_TABLE, tallyFromInventory, tallyWorkloads } from '../../src/cost/index.ts';
import { RECIPES } from '../../src/quant/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { writeDesign } from '../../hdl-gen/write/index.ts';
import {
  decodeWeight,
  encodeWeight,
  macArray,
  macArrayConfig,
  macArrayCycles,
  macArrayGenerator,
  macArrayInventory,
  macArrayShapes,
  packMacStep,
  unpackMacTile,
  weightRange,
} from '../../hdl-gen/units/macArray/index.ts';
import type { MacArrayConfig, MacArrayConfigInput } from '../../hdl-gen/units/macArray/index.ts';
import { checkUnit } from '../../sim/check/index.ts';
import type { CheckUnitResult } from '../../sim/check/index.ts';
import { run } from '../lint/tools.ts';
import { CORNERS, macCase } from '../../sim/units/index.ts';

const quiet = { log: (): void => {} };
const SEED = Number(process.env.PIKEHDL_SEED ?? 0x3ac);
/** PIKEHDL_FUZZ=long: four times the configurations and tiles. */
const SCALE = process.env.PIKEHDL_FUZZ === 'long' ? 4 : 1;
/** Every co-simulated configuration, for the summary line at the end. */
const runs: { cfg: string; r: CheckUnitResult }[] = [];

afterAll(() => {
  if (runs.length === 0) return;
  const inputs = runs.reduce((s, x) => s + x.r.inHandshakes, 0);
  const compared = runs.reduce((s, x) => s + x.r.compared, 0);
  process.stdout.write(`macArray co-simulation: ${runs.length} configs, ${inputs} K-steps in each of 3 Verilator runs (ready + 2 backpressure seeds), ${compared} outputs compared (Icarus prefix included)\n`);
});

async function cosim(raw: MacArrayConfigInput, seed: number, randomTiles: number, icarusSubset?: number): Promise<CheckUnitResult> {
  const mc = macCase(raw, seed, randomTiles);
  const design = emitDesign(macArray(mc.config));
  const describe = `macArray ${JSON.stringify(raw)} seed ${seed}`;
  const r = await checkUnit(design, mc.inputs, mc.expected, {
    describe,
    backpressureSeeds: [seed, seed + 1],
    ...(icarusSubset !== undefined ? { icarusSubset } : {}),
    build: quiet,
  });
  // Every tile compared in Verilator four times (ready + 2 seeds + the slow consumer) and a prefix in Icarus.
  expect(r.runs[0]!.compared).toBe(mc.tiles);
  expect(r.runs[1]!.compared).toBe(3 * mc.tiles);
  expect(r.inHandshakes).toBe(mc.tiles * mc.config.depth);
  expect(r.outHandshakes).toBe(mc.tiles);
  // The timing promise, exactly: one step per cycle, plus the latency.
  expect(r.cycles).toBe(macArrayCycles(mc.config, mc.tiles));
  // ACEv2: inventory x input handshakes is the analytic tally, operation by operation.
  expect(tallyFromInventory(macArrayInventory(mc.config), r.inHandshakes, DEFAULT_COST_TABLE), describe).toEqual(analyticTally(mc.config, r.outHandshakes));
  runs.push({ cfg: describe, r });
  return r;
}

/**
 * src/cost's dot workload for `tiles` output tiles: the weights' encoding
 * width, and for binary (+-1) and ternary (-1/0/+1) codes the values they
 * stand for, from which the accumulator is derived as in the hardware.
 */
function analyticTally(c: MacArrayConfig, tiles: number) {
  return tallyWorkloads(c.name, [
    {
      kind: 'dot',
      outputs: c.rows * c.cols * tiles,
      depth: c.depth,
      weight: shape(c.weightBits, c.weightSigned),
      ...(c.weightKind === 'int' ? {} : { weightRange: range(-1n, 1n) }),
      activation: shape(c.activationBits, c.activationSigned),
    },
  ], RECIPES.pikelpn);
}

describe('macArray configuration', () => {
  it('fills defaults and derives weight bits from the weight kind', () => {
    expect(macArrayConfig.parse({})).toEqual({
      name: 'mac_array', rows: 4, cols: 4, depth: 16, weightKind: 'int', weightBits: 4, weightSigned: true, activationBits: 4, activationSigned: false,
    });
    expect(macArrayConfig.parse({ weightKind: 'binary' })).toMatchObject({ weightBits: 1, weightSigned: true });
    expect(macArrayConfig.parse({ weightKind: 'ternary' })).toMatchObject({ weightBits: 2, weightSigned: true });
  });

  it('names the field, the value and the rule', () => {
    expect(() => macArrayGenerator.build({ rows: 0 })).toThrow('unit mac_array: config field rows = 0 is invalid: must be an integer from 1 to 32');
    expect(() => macArrayGenerator.build({ activationBits: 9 })).toThrow('config field activationBits = 9 is invalid: must be an integer from 1 to 8');
    expect(() => macArrayGenerator.build({ weightKind: 'binary', weightBits: 4 })).toThrow(
      'config field weightBits = 4 is invalid: binary weights are encoded in 1 bit: omit weightBits or set it to 1',
    );
    expect(() => macArrayGenerator.build({ weightKind: 'ternary', weightSigned: false })).toThrow(
      'config field weightSigned = false is invalid: ternary weights are signed (+1/-1): omit weightSigned or set it to true',
    );
    expect(() => macArrayGenerator.build({ weightKind: 'quaternary' })).toThrow(
      'config field weightKind = "quaternary" is invalid: must be one of int, binary, ternary',
    );
    expect(() => macArrayGenerator.build({ depth: 2 ** 20 + 1 })).toThrow('config field depth = 1048577 is invalid');
    expect(() => macArrayGenerator.build({ colums: 3 })).toThrow('config field colums is unknown');
  });
});

describe('macArray weight encodings', () => {
  it('binary: bit 0 is +1, bit 1 is -1; ternary: 00 0, 01 +1, 11 -1 and the spare 10 is 0', () => {
    const bin = { kind: 'binary', bits: 1, signed: true } as const;
    const ter = { kind: 'ternary', bits: 2, signed: true } as const;
    expect([0n, 1n].map((b) => decodeWeight(bin, b))).toEqual([1n, -1n]);
    expect([0n, 1n, 2n, 3n].map((b) => decodeWeight(ter, b))).toEqual([0n, 1n, 0n, -1n]);
    expect(encodeWeight(bin, -1n)).toBe(1n);
    expect(() => encodeWeight(bin, 0n)).toThrow('encodeWeight: binary weight 0 is out of range: must be -1 or +1');
    expect(() => encodeWeight(ter, 2n)).toThrow('encodeWeight: ternary weight 2 is out of range: must be -1..1');
  });

  it('decode(encode(v)) = v for every value of every int format', () => {
    for (let bits = 1; bits <= 8; bits++) {
      for (const signed of [false, true]) {
        const f = { kind: 'int', bits, signed } as const;
        const r = weightRange(f);
        for (let v = r.lo; v <= r.hi; v++) expect(decodeWeight(f, encodeWeight(f, v))).toBe(v);
      }
    }
  });
});

describe('macArray accumulator width', () => {
  it('is accumulatorShape of the weight range, activation range and depth, and the corners reach it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('int', 'binary', 'ternary'),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 300 }),
        (kind, wb, ws, ab, as, depth) => {
          const raw = kind === 'int' ? { weightKind: kind, weightBits: wb, weightSigned: ws } : { weightKind: kind };
          const c = macArrayConfig.parse({ ...raw, activationBits: ab, activationSigned: as, depth, rows: 1, cols: 1 });
          const s = macArrayShapes(c);
          expect(s.acc).toEqual(accumulatorShape(s.weightRange, rangeOf(shape(ab, as)), depth));
          // Tight: the extreme sums (from the corner tiles) do not fit one bit less.
          const mc = macCase(c, 1, 0);
          const values = mc.expected.map((word) => unpackMacTile(c, word)[0]![0]!);
          const lo = values.reduce((a, b) => (a < b ? a : b));
          const hi = values.reduce((a, b) => (a > b ? a : b));
          expect(lo >= minOf(s.acc) && hi <= maxOf(s.acc)).toBe(true);
          if (s.acc.width > 1) {
            const narrower = shape(s.acc.width - 1, s.acc.signed);
            expect(fits(lo, narrower) && fits(hi, narrower)).toBe(false);
          }
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });
});

describe('macArray stream format', () => {
  it('packs activations low and weights high, and unpacks a tile PE (0,0) first', () => {
    const c = macArrayConfig.parse({ rows: 2, cols: 3, depth: 4, weightBits: 3, activationBits: 2, activationSigned: true });
    const word = packMacStep(c, [0b101n, 0b011n], [-1n, 1n, -2n]);
    // activations: 11 01 10 (c0 at bits 1:0) -> 0b10_01_11; weights at bit 6: r0 101, r1 011
    expect(word).toBe(0b011_101_10_01_11n);
    const s = macArrayShapes(c);
    expect(s.inWidth).toBe(3 * 2 + 2 * 3);
    const tileWord = (5n & ((1n << BigInt(s.acc.width)) - 1n)) | (BigInt.asUintN(s.acc.width, -7n) << BigInt(5 * s.acc.width));
    const tile = unpackMacTile(c, tileWord);
    expect(tile[0]![0]).toBe(5n);
    expect(tile[1]![2]).toBe(-7n);
  });
});

describe('macArray co-simulation (Verilator always ready + backpressure, Icarus prefix)', () => {
  // Fixed corners of the configuration space, then fast-check's random configurations.
  const fixed: [string, MacArrayConfigInput, number, number?][] = [
    ['1x1 binary, 1-bit unsigned activations, depth 1', { rows: 1, cols: 1, depth: 1, weightKind: 'binary', activationBits: 1 }, 1000],
    ['1x1 int 8x8 signed, depth 1 (no accumulator)', { rows: 1, cols: 1, depth: 1, weightBits: 8, activationBits: 8, activationSigned: true }, 1000],
    ['4x3 ternary x s3, depth 9', { rows: 4, cols: 3, depth: 9, weightKind: 'ternary', activationBits: 3, activationSigned: true }, 200],
    ['3x5 unsigned 1-bit weights x u8, depth 33', { rows: 3, cols: 5, depth: 33, weightBits: 1, weightSigned: false, activationBits: 8 }, 60],
    ['16x16 s8 x s8, depth 64', { rows: 16, cols: 16, depth: 64, weightBits: 8, activationBits: 8, activationSigned: true }, 40, 6],
  ];
  for (const [title, raw, tiles, icarus] of fixed) {
    it(title, async () => {
      await cosim(raw, SEED, tiles * SCALE, icarus);
    });
  }

  it('random configurations (fast-check, seeded)', async () => {
    const config = fc.record({
      rows: fc.integer({ min: 1, max: 8 }),
      cols: fc.integer({ min: 1, max: 8 }),
      depth: fc.integer({ min: 1, max: 40 }),
      kind: fc.constantFrom('int', 'binary', 'ternary'),
      weightBits: fc.integer({ min: 1, max: 8 }),
      weightSigned: fc.boolean(),
      activationBits: fc.integer({ min: 1, max: 8 }),
      activationSigned: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(config, fc.integer({ min: 1, max: 1_000_000 }), async (g, seed) => {
        const raw: MacArrayConfigInput =
          g.kind === 'int'
            ? { rows: g.rows, cols: g.cols, depth: g.depth, weightBits: g.weightBits, weightSigned: g.weightSigned }
            : { rows: g.rows, cols: g.cols, depth: g.depth, weightKind: g.kind };
        await cosim({ ...raw, activationBits: g.activationBits, activationSigned: g.activationSigned }, seed, Math.max(8, Math.floor((2000 * SCALE) / g.depth)), 12);
      }),
      { numRuns: 6 * SCALE, seed: SEED, endOnFailure: true },
    );
  });
});

describe('macArray at 32x32', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-mac32-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('generates and is lint-clean in Verilator -Wall', async () => {
    const d = emitDesign(macArrayGenerator.build({ rows: 32, cols: 32, depth: 512, weightBits: 8, activationBits: 8, activationSigned: true }));
    expect(d.inWidth).toBe(32 * 8 + 32 * 8);
    const acc = accumulatorShape(rangeOf(shape(8, true)), rangeOf(shape(8, true)), 512);
    expect(d.outWidth).toBe(1024 * acc.width);
    const { dir } = await writeDesign(d, path.join(work, 'mac32'));
    const r = await run('verilator', ['--lint-only', '-Wall', '--top-module', d.top, ...d.sources.map((s) => s.name)], dir);
    expect(r.output.trim()).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('macArray ACEv2: inventory x handshakes = analytic tally (also checked on every co-simulated configuration)', () => {
  it('int weights: the whole tally (every operation, width and count) is equal', async () => {
    const raw = { rows: 3, cols: 2, depth: 7, weightBits: 4, activationBits: 4 };
    const r = await cosim(raw, SEED + 5, 5);
    const c = macArrayConfig.parse(raw);
    const s = macArrayShapes(c);
    const hw = tallyFromInventory(macArrayInventory(c), r.inHandshakes, DEFAULT_COST_TABLE);
    const analytic = tallyWorkloads(c.name, [
      { kind: 'dot', outputs: c.rows * c.cols * r.outHandshakes, depth: c.depth, weight: shape(4, true), activation: s.activation },
    ], RECIPES.pikelpn);
    expect(hw).toEqual(analytic);
    expect(hw.macs).toBe(3 * 2 * 7 * (CORNERS.length + 5));
    expect(hw.ace).toBe(hw.macs * 16);
  });

  it('binary and ternary weights: the whole tally is equal, accumulator included (derived from the range -1..1)', async () => {
    for (const kind of ['binary', 'ternary'] as const) {
      const raw = { rows: 2, cols: 2, depth: 5, weightKind: kind, activationBits: 3 };
      const r = await cosim(raw, SEED + 6, 4);
      const c = macArrayConfig.parse(raw);
      const hw = tallyFromInventory(macArrayInventory(c), r.inHandshakes, DEFAULT_COST_TABLE);
      expect(hw).toEqual(analyticTally(c, r.outHandshakes));
      // 5 terms of -7..7 (+-1 or 0 times 0..7) need s7; ternary's code read as a 2-bit two's-complement
      // weight (-2..1) would give -70..35, s8.
      expect(hw.ops.map((o) => o.op)).toEqual([{ kind: 'mac', weight: c.weightBits, activation: 3, acc: 7 }]);
      expect(hw.ace).toBe(hw.macs * c.weightBits * 3);
    }
  });
});
