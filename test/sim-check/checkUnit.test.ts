import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoSimMismatchError, SimError } from '../../sim/index.ts';
import { backpressureFromSeed, checkUnit } from '../../sim/check/index.ts';
import { adderRef, fixtureDesign, seededValues } from '../sim/helpers.ts';

const quiet = { log: (): void => {} };

describe('checkUnit on the adder fixture (1 input : 1 output, latency 2)', () => {
  const design = fixtureDesign('adder_skid2', 16, 9);

  it('compares every output in every run and counts handshakes and cycles', async () => {
    const inputs = seededValues(3, 400, 16);
    const r = await checkUnit(design, inputs, inputs.map(adderRef), {
      describe: 'adder_skid2 seed 3',
      backpressureSeeds: [5, 6, 7],
      icarusSubset: 20,
      build: quiet,
    });
    // Three seeds, then the slow consumer: four backpressure runs.
    expect(r.compared).toBe(400 + 4 * 400 + 20);
    expect(r.runs.map((x) => x.compared)).toEqual([400, 1600, 20]);
    expect(r.outHandshakes).toBe(400);
    expect(r.inHandshakes).toBe(400);
    // One transfer per cycle after the fill; the exact figure is the fixture's business.
    expect(r.cycles).toBeGreaterThanOrEqual(400);
    expect(r.cycles).toBeLessThan(410);
    expect(r.configsDescribe).toMatch(/^adder_skid2 seed 3: 400 in, 400 out; always-ready; backpressure seed 5 .*icarus 20 outputs$/);
  });

  it('throws a CoSimMismatchError with a VCD on a wrong expectation', async () => {
    const inputs = seededValues(4, 100, 16);
    const expected = inputs.map(adderRef);
    expected[37] = expected[37]! ^ 1n;
    const err = await checkUnit(design, inputs, expected, { describe: 'wrong on purpose', build: quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoSimMismatchError);
    const e = err as CoSimMismatchError;
    expect(e.message).toMatch(/wrong on purpose, always ready/);
    expect(e.mismatches[0]!.index).toBe(37);
    expect(existsSync(e.vcdPath)).toBe(true);
  });

  it('refuses empty expectations, a zero Icarus subset and a ratio it cannot infer', async () => {
    const inputs = seededValues(5, 10, 16);
    await expect(checkUnit(design, inputs, [], { describe: 'empty', build: quiet })).rejects.toThrow(/expected is empty/);
    await expect(
      checkUnit(design, inputs, inputs.map(adderRef), { describe: 'no icarus', icarusSubset: 0, build: quiet }),
    ).rejects.toThrow(/icarusSubset 0 must be an integer from 1 to 10 .*never skipped/);
    await expect(
      checkUnit(design, inputs, inputs.slice(0, 3).map(adderRef), { describe: 'ratio', build: quiet }),
    ).rejects.toThrow(/10 inputs do not divide into 3 outputs; pass inputsPerOutput or an explicit icarusSubset/);
    await expect(
      checkUnit({ ...design, files: [{ name: 'rom.hex' }] }, inputs, inputs.map(adderRef), { describe: 'rom', build: quiet }),
    ).rejects.toThrow(SimError);
  });

  it('derives backpressure from the seed deterministically within 10..90 %', () => {
    for (let s = 0; s < 200; s++) {
      const p = backpressureFromSeed(s);
      expect(p).toEqual(backpressureFromSeed(s));
      for (const v of [p.inValidPct, p.outReadyPct]) {
        expect(v).toBeGreaterThanOrEqual(10);
        expect(v).toBeLessThanOrEqual(90);
      }
    }
  });
});
