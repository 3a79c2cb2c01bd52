import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSimulator,
  buildStats,
  CoSimMismatchError,
  coSimulate,
  packValues,
  rerunWithTrace,
  runIcarus,
  startSimulator,
  unpackValues,
} from '../../sim/index.ts';
import type { BuiltSimulator, SimFrame, Simulator } from '../../sim/index.ts';
import { adderRef, fixtureDesign, packWithDirtyPadding, seededValues } from './helpers.ts';

const logs: string[] = [];
const log = (line: string): void => {
  logs.push(line);
};

for (const top of ['adder_skid1', 'adder_skid2']) {
  describe(`${top} (16-bit in, 9-bit out)`, () => {
    const design = fixtureDesign(top, 16, 9);
    let built: BuiltSimulator;
    let sim: Simulator;

    beforeAll(async () => {
      built = await buildSimulator(design, { log });
      sim = await startSimulator(built, { timeoutMs: 60_000 });
    });
    afterAll(() => sim?.kill());

    it('is bit-exact on 5000 random transactions in one frame', async () => {
      const values = seededValues(1, 5000, 16);
      const r = await sim.run({ inputs: packWithDirtyPadding(values, 16), count: 5000, expectOutputs: 5000 });
      expect(r.count).toBe(5000);
      expect(r.inHandshakes).toBe(5000);
      expect(r.outHandshakes).toBe(5000);
      // Always valid/ready: one transfer per cycle once the pipeline is full.
      expect(r.cycles).toBeLessThan(5000 + 10);
      const got = unpackValues(r.outputs, 5000, 9);
      expect(got).toEqual(values.map(adderRef));
    });

    it('gives identical outputs under random backpressure: no loss, duplication or reordering', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2000 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 1, max: 100 }),
          fc.integer({ min: 1, max: 100 }),
          async (count, seed, inValidPct, outReadyPct) => {
            const values = seededValues(seed, count, 16);
            const frame: SimFrame = {
              inputs: packValues(values, 16),
              count,
              expectOutputs: count,
              backpressure: { seed, inValidPct, outReadyPct },
            };
            const r = await sim.run(frame);
            expect(unpackValues(r.outputs, count, 9)).toEqual(values.map(adderRef));
            expect(r.inHandshakes).toBe(count);
            expect(r.outHandshakes).toBe(count);
            if (inValidPct < 100 || outReadyPct < 100) expect(r.cycles).toBeGreaterThanOrEqual(count);
          },
        ),
        { numRuns: 25, seed: 0x5eed },
      );
    });

    it('stalls measurably with backpressure and replays the same stall pattern from the same seed', async () => {
      const values = seededValues(7, 3000, 16);
      const frame: SimFrame = {
        inputs: packValues(values, 16),
        count: 3000,
        expectOutputs: 3000,
        backpressure: { seed: 99, inValidPct: 50, outReadyPct: 30 },
      };
      const a = await sim.run(frame);
      const b = await sim.run(frame);
      expect(a.cycles).toBeGreaterThan(3000 * 2);
      expect(b.cycles).toBe(a.cycles);
      expect(Buffer.from(b.outputs).equals(Buffer.from(a.outputs))).toBe(true);
    });

    it('pipelines several frames in flight and keeps them in order', async () => {
      const frames = [0, 1, 2, 3].map((k) => seededValues(100 + k, 700 + k, 16));
      const results = await Promise.all(
        frames.map((v, k) =>
          sim.run({
            inputs: packValues(v, 16),
            count: v.length,
            expectOutputs: v.length,
            ...(k % 2 ? { backpressure: { seed: k, inValidPct: 70, outReadyPct: 60 } } : {}),
          }),
        ),
      );
      results.forEach((r, k) => expect(unpackValues(r.outputs, r.count, 9)).toEqual(frames[k]!.map(adderRef)));
    });

    it('delivers a finished frame while a long frame queued behind it is still running', async () => {
      const values = seededValues(9, 100, 16);
      const small = { inputs: packValues(values, 16), count: 100, expectOutputs: 100 };
      const t0 = Date.now();
      const first = sim.run(small).then(() => Date.now() - t0);
      const long = sim.bench(small, 200_000).then(() => Date.now() - t0); // 20M transactions in C++
      const [tFirst, tLong] = await Promise.all([first, long]);
      expect(tLong).toBeGreaterThan(300);
      expect(tFirst).toBeLessThan(tLong / 2);
    });

    it('bench mode replays inputs in C++ and reports counts, cycles and time', async () => {
      const values = seededValues(3, 1000, 16);
      const r = await sim.bench({ inputs: packValues(values, 16), count: 1000, expectOutputs: 1000 }, 50);
      expect(r.inHandshakes).toBe(50_000);
      expect(r.outHandshakes).toBe(50_000);
      expect(r.cycles).toBeGreaterThanOrEqual(50_000);
      expect(r.elapsedNs).toBeGreaterThan(0);
    });

    it('closes with the completion sentinel counting every frame', async () => {
      const s = await startSimulator(built);
      const values = seededValues(5, 10, 16);
      await s.run({ inputs: packValues(values, 16), count: 10, expectOutputs: 10 });
      await s.run({ inputs: packValues(values, 16), count: 10, expectOutputs: 10 });
      expect(await s.close()).toEqual({ frames: 2, transactions: 20, outputs: 20 });
    });
  });
}

describe('build cache', () => {
  it('a second build of an unchanged design is a cache hit', async () => {
    const design = fixtureDesign('adder_skid1', 16, 9);
    await buildSimulator(design, { log });
    const before = buildStats();
    const again = await buildSimulator(design, { log });
    const after = buildStats();
    expect(again.cacheHit).toBe(true);
    expect(after.hits).toBe(before.hits + 1);
    expect(after.builds).toBe(before.builds);
    expect(logs.at(-1)).toBe(`pikehdl sim: cache hit adder_skid1 ${again.hash.slice(0, 8)}`);
  });

  it('concurrent builds of a new design build once and share the result (lock)', async () => {
    // A nonce in a comment changes the cache key but not the generated C++, so
    // this is a real build whose compile is served by ccache.
    const base = fixtureDesign('adder_skid2', 16, 9);
    const nonce = `${process.pid}-${Date.now()}`;
    const design = { ...base, sources: [{ ...base.sources[0]!, text: `// nonce ${nonce}\n${base.sources[0]!.text}` }] };
    const before = buildStats();
    const [a, b] = await Promise.all([buildSimulator(design, { log }), buildSimulator(design, { log })]);
    const after = buildStats();
    expect(a.dir).toBe(b.dir);
    expect(after.builds - before.builds).toBe(1);
    expect(after.hits - before.hits).toBe(1);
    expect([a.cacheHit, b.cacheHit].sort()).toEqual([false, true]);
    expect(logs.some((l) => new RegExp(`^pikehdl sim: built adder_skid2 ${a.hash.slice(0, 8)} in \\d+\\.\\d s$`).test(l))).toBe(true);
    const { rm } = await import('node:fs/promises');
    await rm(a.dir, { recursive: true, force: true });
  });
});

describe('coSimulate', () => {
  const design = fixtureDesign('adder_skid2', 16, 9);
  let built: BuiltSimulator;
  beforeAll(async () => {
    built = await buildSimulator(design, { log });
  });

  const framesOf = (seed: number, sizes: number[]): { frames: SimFrame[]; expected: Uint8Array[] } => {
    const frames: SimFrame[] = [];
    const expected: Uint8Array[] = [];
    sizes.forEach((n, k) => {
      const v = seededValues(seed + k, n, 16);
      frames.push({ inputs: packValues(v, 16), count: n, expectOutputs: n, backpressure: { seed: k + 1, inValidPct: 80, outReadyPct: 70 } });
      expected.push(packValues(v.map(adderRef), 9));
    });
    return { frames, expected };
  };

  it('counts every compared output', async () => {
    const { frames, expected } = framesOf(11, [500, 1, 1500]);
    const r = await coSimulate({ built, frames, expected, describe: 'adder sums' });
    expect(r.compared).toBe(2001);
    expect(r.frames).toBe(3);
  });

  it('on a wrong expectation throws the first mismatches and the path of a VCD it wrote', async () => {
    const { frames, expected } = framesOf(21, [300, 400]);
    const wrong = expected.map((e) => new Uint8Array(e));
    // Output 300 + 17 (frame 1, index 17) deliberately wrong.
    wrong[1]![17 * 2]! ^= 0x04;
    const err = await coSimulate({ built, frames, expected: wrong, describe: 'deliberately wrong' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CoSimMismatchError);
    const e = err as CoSimMismatchError;
    expect(e.message).toMatch(/coSimulate\(deliberately wrong\): design adder_skid2 frame 1: 1 of 400 outputs differ/);
    expect(e.message).toMatch(/output 317: expected 0x[0-9a-f]+, actual 0x[0-9a-f]+/);
    expect(e.mismatches[0]!.index).toBe(317);
    expect(e.message).toContain(`VCD of the failing frame: ${e.vcdPath}`);
    expect(existsSync(e.vcdPath)).toBe(true);
    expect(statSync(e.vcdPath).size).toBeGreaterThan(1000);
  });

  it('rerunWithTrace dumps a VCD of the replayed frames, optionally from a later frame only', async () => {
    const { frames } = framesOf(31, [200, 200]);
    const dir = path.join(tmpdir(), `pikehdl-vcd-${process.pid}`);
    const full = await rerunWithTrace(built, frames, path.join(dir, 'full.vcd'));
    const late = await rerunWithTrace(built, frames, path.join(dir, 'late.vcd'), { fromFrame: 1 });
    const text = readFileSync(full, 'utf8');
    expect(text).toContain('$enddefinitions');
    expect(text).toMatch(/\$var wire\s+9 \S+ out_data \[8:0\]/);
    expect(statSync(late).size).toBeGreaterThan(1000);
    expect(statSync(late).size).toBeLessThan(statSync(full).size * 0.75);
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds without --trace; the traced twin is its own cache entry, and an untraced harness refuses a VCD request', async () => {
    expect(built.withTrace).toBeDefined();
    const traced = await built.withTrace!();
    expect(traced.hash).not.toBe(built.hash);
    expect(traced.withTrace).toBeUndefined();
    const manifest = (b: BuiltSimulator): string[] => (JSON.parse(readFileSync(path.join(b.dir, 'manifest.json'), 'utf8')) as { flags: string[] }).flags;
    expect(manifest(built)).not.toContain('--trace');
    expect(manifest(traced)).toContain('--trace');
    const vcd = path.join(tmpdir(), `pikehdl-untraced-${process.pid}.vcd`);
    const plain = await startSimulator(built, { timeoutMs: 10_000, env: { PIKEHDL_VCD: vcd } });
    const { frames } = framesOf(41, [10]);
    await expect(plain.run(frames[0]!)).rejects.toThrow(/PIKEHDL_VCD is set but this build has no --trace/);
    plain.kill();
    expect(existsSync(vcd)).toBe(false);
  });

  it('refuses to pass when nothing was compared', async () => {
    await expect(coSimulate({ built, frames: [], expected: [], describe: 'empty' })).rejects.toThrow(
      /compared no outputs/,
    );
  });
});

describe('Icarus cross-check', () => {
  it('agrees with Verilator on 300 transactions of adder_skid2', async () => {
    const design = fixtureDesign('adder_skid2', 16, 9);
    const values = seededValues(42, 300, 16);
    const inputs = packValues(values, 16);
    const icarus = await runIcarus({ ...design, inputs, count: 300, expectOutputs: 300 });
    const built = await buildSimulator(design, { log });
    const sim = await startSimulator(built);
    const verilator = await sim.run({ inputs, count: 300, expectOutputs: 300 });
    await sim.close();
    expect(icarus.count).toBe(300);
    expect(unpackValues(icarus.outputs, 300, 9)).toEqual(values.map(adderRef));
    expect(Buffer.from(icarus.outputs).equals(Buffer.from(verilator.outputs))).toBe(true);
  });
});
