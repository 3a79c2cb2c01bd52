// The built-in MobileNetV1/V2 and ResNet-18 with seeded synthetic weights, compiled by the pikelpn
// recipe and run on the accelerator. Default mode: the reduced variants (32x32, narrow, 10 classes;
// the same layer kinds: stride-2 3x3 convs, depthwise, inverted residuals, ResNet's padded 3x3/2 max
// pool and projection shortcuts, global pool, dense) through the layer program against runInt on
// every layer, then through ONE loadable Verilator build shared by all three (every logit and counter
// beat). PIKEHDL_FUZZ=long adds the full-size 224x224 networks on a 16x16 array: layer program vs
// runInt on all 1,000 logits (about 5 minutes of CPU: the pikelpn compile of each is 40-90 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccelConfig, type AccelProgram, analyticAcev2, compileAccel, fitAccelConfig, parseAccelConfig, runProgram } from '../../src/accel/index.ts';
import { runInt } from '../../src/ref/index.ts';
import { type IntNetwork, tensorShape } from '../../src/model/index.ts';
import { rangeOf } from '../../src/arith/index.ts';
import { SYNTHETIC_REDUCED, syntheticArchitecture, syntheticNetwork } from '../../src/networks/syntheticModels.ts';
import { syntheticCacheFile } from '../../src/cli/accel/syntheticCache.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withSyntheticWeights } from '../../src/networks/syntheticWeights.ts';
import { resolveSynthetic } from '../../src/cli/accel/resolveModel.ts';
import { runCosimModel } from '../../src/cli/commands/cosimModel.ts';
import { accelPerformanceReport } from '../../src/accel/perfReport.ts';
import { buildNetwork } from '../../src/verify/randomNetwork.ts';
import { acceleratorFrame, buildLoadableAccelerator, decodeFrame, loadFrame, startSimulator } from '../../sim/accel/acceleratorSim.ts';
import { beatsToValues, expectedBeats } from '../../sim/accel/expectedBeats.ts';
import type { Simulator } from '../../sim/index.ts';

const long = process.env['PIKEHDL_FUZZ'] === 'long';

/** A seeded input over the network's input range. */
function inputFor(net: IntNetwork, seed: number): Int32Array {
  const r = rangeOf(tensorShape(net.input.tensor));
  const min = Number(r.lo);
  const max = Number(r.hi);
  let a = seed >>> 0;
  return Int32Array.from({ length: net.input.height * net.input.width * net.input.channels }, () => {
    a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return min + (a % (max - min + 1));
  });
}

/** Layer program vs runInt on every layer's tensor; returns the values compared. */
function programEqualsRunInt(program: AccelProgram, net: IntNetwork, x: Int32Array): number {
  const run = runProgram(program, x);
  const ref = runInt(net, x).outputs;
  let compared = 0;
  for (const t of run.layers) {
    const r = ref.get(t.name)!;
    expect(t.output.length, t.name).toBe(r.length);
    for (let i = 0; i < r.length; i++) if (t.output[i] !== r[i]) throw new Error(`${program.network}: layer ${t.name} element ${i}: program ${t.output[i]}, runInt ${r[i]}`);
    compared += r.length;
  }
  return compared;
}

/** The widest of each field: one configuration (one Verilator build) that runs every network. */
function sharedConfig(configs: readonly AccelConfig[]): AccelConfig {
  const out: Record<string, number | boolean> = {};
  for (const c of configs) for (const [k, v] of Object.entries(c)) if (typeof v === 'number') out[k] = Math.max(Number(out[k] ?? v), v);
  return parseAccelConfig({ ...out, loadable: true });
}

const reduced = new Map<string, { net: IntNetwork; program: AccelProgram }>();

describe('synthetic weights', () => {
  it('compile once: the integer network is cached by name, seed and sources; a damaged cache file is recompiled', () => {
    // A build folder of its own: the test deletes and damages a cache file, which must be neither
    // the user's nor one that another test file is reading at the same time.
    const saved = process.env['PIKEHDL_BUILD_DIR'];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-synthcache-'));
    process.env['PIKEHDL_BUILD_DIR'] = dir;
    try {
      const file = syntheticCacheFile('resnet18_0.125_32', 1);
      expect(file.startsWith(dir)).toBe(true);
      rmSync(file, { force: true });
      const a = resolveSynthetic('resnet18_0.125_32');
      expect(a.label).not.toMatch(/from the cache/);
      const b = resolveSynthetic('resnet18_0.125_32');
      expect(b.label).toMatch(/from the cache/);
      expect(b.net).toEqual(a.net);
      writeFileSync(file, '{"format": "pikehdl-int-network", "truncated');
      const c = resolveSynthetic('resnet18_0.125_32');
      expect(c.label).not.toMatch(/from the cache/);
      expect(c.net).toEqual(a.net);
      expect(resolveSynthetic('resnet18_0.125_32').label).toMatch(/from the cache/);
      // The ACEv2 tally reads only the architecture: equal to the weighted network's.
      expect(analyticAcev2(a.float!, a.recipe!)).toBe(analyticAcev2(syntheticNetwork('resnet18_0.125_32'), a.recipe!));
    } finally {
      if (saved === undefined) delete process.env['PIKEHDL_BUILD_DIR'];
      else process.env['PIKEHDL_BUILD_DIR'] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('are deterministic per seed, differ across seeds, and make the output depend on the input', () => {
    const arch = syntheticArchitecture('resnet18_0.125_32');
    const a = withSyntheticWeights(arch, { seed: 3 });
    expect(withSyntheticWeights(arch, { seed: 3 })).toEqual(a);
    expect(withSyntheticWeights(arch, { seed: 4 })).not.toEqual(a);
    expect(() => withSyntheticWeights(a)).toThrow(/layer "conv1" already has weights/);
    const m = resolveSynthetic('resnet18_0.125_32');
    const outs = [1, 2, 3].map((s) => Array.from(runInt(m.net, inputFor(m.net, s)).output).join(','));
    // Random batch-norm statistics would make these (nearly) equal; measured ones must not.
    expect(new Set(outs).size).toBe(3);
  });
});

describe('compiler at full-size scale', () => {
  it('compiles a layer of 250,000 weight words (spreading that many into push() overflowed the call stack: ResNet-18 at 4 lanes)', () => {
    const net = buildNetwork({ h: 25, w: 20, c: 1, bits: 4, signed: false, seed: 1, layers: [{ op: 'dense', c: 500, wb: 4, act: 'none', bits: 8, signed: true, r: 'rdn', norm: false, prelu: false }] });
    const p = compileAccel(net, fitAccelConfig(net, { lanes: 1 }));
    expect(p.weightWords.length).toBe(250_000);
    expect(programEqualsRunInt(p, net, inputFor(net, 2))).toBe(500);
  }, 60_000);
});

describe('reduced MobileNetV1/V2 and ResNet-18 (synthetic weights, pikelpn)', () => {
  beforeAll(() => {
    for (const name of SYNTHETIC_REDUCED) {
      const { net } = resolveSynthetic(name);
      reduced.set(name, { net, program: compileAccel(net, fitAccelConfig(net, { lanes: 4 })) });
    }
  }, 180_000);

  it.each(SYNTHETIC_REDUCED)('%s: the layer program equals runInt on every layer', (name) => {
    const { net, program } = reduced.get(name)!;
    const compared = programEqualsRunInt(program, net, inputFor(net, 5));
    expect(compared).toBeGreaterThan(1000);
    // The layer kinds the full-size networks need are exercised here.
    const kinds = new Set(program.layers.map((d) => `${d.op}/${d.kind}/s${d.stride}/k${d.kh}`));
    if (name.startsWith('resnet')) {
      expect(kinds).toContain('maxPool/max/s2/k3');
      expect(program.layers.some((d) => d.op === 'maxPool' && d.pad === 1)).toBe(true);
      expect(kinds).toContain('conv2d/conv/s2/k1'); // projection shortcut
      expect(kinds).toContain('add/add/s1/k1');
    }
    if (name.startsWith('mobilenet_v2')) expect(program.layers.filter((d) => d.op === 'add').length).toBeGreaterThan(5);
    expect(kinds).toContain('conv2d/conv/s2/k3');
  });

  it('the performance report is consistent with the cycle model', () => {
    const { net, program } = reduced.get('mobilenet_v1_0.25_32')!;
    const r = accelPerformanceReport(program, net);
    expect(r.cycles).toBe(r.layers.reduce((s, l) => s + l.cycles, 0));
    expect(r.ratio).toBeGreaterThanOrEqual(1);
    for (const l of r.layers) {
      expect(l.attainedMacsPerCycle).toBeLessThanOrEqual(l.peakMacsPerCycle);
      expect(l.layerTrafficBytes).toBeGreaterThan(0);
    }
    expect(r.traffic.minimumBytes).toBeLessThan(r.traffic.layerByLayerBytes);
  });

  describe('on one loadable Verilator build', () => {
    let sim: Simulator;
    let config: AccelConfig;
    beforeAll(async () => {
      config = sharedConfig([...reduced.values()].map((r) => r.program.config));
      sim = await startSimulator(await buildLoadableAccelerator(config), { timeoutMs: 120_000 });
    }, 400_000);
    afterAll(async () => {
      await sim?.close();
    });

    it('runs every reduced network bit-exactly (every logit and counter beat)', async () => {
      let compared = 0;
      for (const name of SYNTHETIC_REDUCED) {
        const { net } = reduced.get(name)!;
        const program = compileAccel(net, config);
        await sim.run(loadFrame(program));
        const x = inputFor(net, 9);
        const got = beatsToValues(decodeFrame(program, await sim.run(acceleratorFrame(program, x))).beats);
        const expected = beatsToValues(expectedBeats(program, runProgram(program, x)));
        const ref = Array.from(runInt(net, x).output, BigInt);
        expect(got.slice(0, ref.length), `${name}: logits`).toEqual(ref);
        expect(got, `${name}: every beat`).toEqual(expected);
        compared += got.length;
      }
      process.stdout.write(`fullsize (reduced) on one loadable build: ${compared} beats compared\n`);
      expect(compared).toBeGreaterThan(3 * 10);
    }, 300_000);

    it('cosim --model runs a synthetic built-in on the loadable build (same configuration: the same Verilator build)', async () => {
      const lines: string[] = [];
      const err = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
      const set = Object.entries(config).filter(([k]) => k !== 'loadable').map(([k, v]) => `${k}=${String(v)}`);
      const ok = await runCosimModel({ model: 'resnet18_0.125_32', images: '1', set, seed: '3' }, { out: (l: string) => void lines.push(l), err });
      const text = lines.join('\n');
      expect(text).toMatch(/1 seeded random inputs \(seed 3\), 10 logits compared/);
      expect(text).toMatch(/build: loadable/);
      expect(text).toMatch(/ACEv2 per inference: (\S+) from simulated activity, \1 analytic \(equal\)/);
      expect(text).toMatch(/performance \(4x4 array/);
      expect(text).toMatch(/\(cache hit\)/);
      expect(ok).toBe(true);
    }, 300_000);

    it('cosim --model refuses an unknown build kind with one line', async () => {
      const err = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
      await expect(runCosimModel({ model: 'resnet18_0.125_32', images: '1', set: [], seed: '1', build: 'axi' }, { out: () => undefined, err })).rejects.toThrow(/--accel-build "axi" is invalid: use rom or loadable/);
    });

    it('catches a corrupted weight image (the check can fail)', async () => {
      const { net } = reduced.get('mobilenet_v1_0.25_32')!;
      const program = compileAccel(net, config);
      // Flip one weight of the first pointwise layer's first word.
      const pw = program.layers.find((d) => d.name === 'b1_pw')!;
      const words = program.weightWords.map((w, i) => (i === pw.wBase ? Int32Array.from(w, (v, j) => (j === 0 ? v + 1 : v)) : w));
      await sim.run(loadFrame({ ...program, weightWords: words }));
      const x = inputFor(net, 9);
      const got = decodeFrame(program, await sim.run(acceleratorFrame(program, x))).beats.output;
      expect(got).not.toEqual(Array.from(runInt(net, x).output));
    }, 120_000);
  });
});

describe.runIf(long)('full-size networks on a 16x16 array (PIKEHDL_FUZZ=long)', () => {
  it.each(['mobilenet_v1_1.0', 'mobilenet_v2_1.0', 'resnet18'])('%s at 224x224: the layer program equals runInt on all 1,000 logits', (name) => {
    const { net } = resolveSynthetic(name);
    const program = compileAccel(net, fitAccelConfig(net, { lanes: 16 }));
    const x = inputFor(net, 1);
    const out = runProgram(program, x).output;
    const ref = runInt(net, x).output;
    expect(ref.length).toBe(1000);
    expect(Array.from(out)).toEqual(Array.from(ref));
    expect(new Set(ref).size).toBeGreaterThan(10);
  }, 900_000);
});
