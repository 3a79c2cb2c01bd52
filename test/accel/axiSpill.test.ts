// Activations in external memory (AXI build with spill) on ONE Verilator build beside the C++ memory
// model: mnist_tiny fits the build's 1,024-word activation RAM and runs as before; forced to spill,
// and the reduced ResNet-18 (residual adds) and MobileNetV1, which do not fit, run as output-row bands
// whose input rows the DMA reads from the activation region and whose output rows it writes back.
// Every output against runInt, COMPUTE_CYCLES and MACS against the cycle model, bytes against the
// traffic model and the memory model's count, the protocol checker clean; a band read outside the
// activation region, and one of bytes not yet written, are named with the region and layer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AccelCompileError, type AccelProgram, axiMemoryMap, axiTraffic, compileAxi, parseAccelConfig, runProgram } from '../../src/accel/index.ts';
import type { BuiltSimulator } from '../../sim/index.ts';
import { AxiRunError, AxiSimulator, buildAxiAccelerator, hangCycles, type MemorySettings } from '../../sim/accel/axiSim.ts';
import { runInt } from '../../src/ref/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import { resolveSynthetic } from '../../src/cli/accel/resolveModel.ts';
import { buildNetwork, netSpecArb, randomInput } from '../../src/verify/randomNetwork.ts';
import { mnistDigits, mnistTinyInt } from './mnistModel.ts';
import { AXI_SPILL_CONFIG } from './axiSpillConfig.ts';
import { expectAxiInference } from '../support/axiInferenceChecks.ts';

const seed = Number(process.env['PIKEHDL_SEED'] ?? 11);
const long = process.env['PIKEHDL_FUZZ'] === 'long';
const FAST: MemorySettings = { latency: 1, bytesPerCycle: 16, maxOutstanding: 4, stallPct: 0, seed: 1 };
const STALLING: MemorySettings = { latency: 7, bytesPerCycle: 3.5, maxOutstanding: 2, stallPct: 30, seed: 3 };

let built: BuiltSimulator;
let sim: AxiSimulator;
let mnist: IntNetwork;

beforeAll(async () => {
  mnist = mnistTinyInt();
  built = await buildAxiAccelerator(AXI_SPILL_CONFIG);
  sim = new AxiSimulator(built);
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

/** A seeded input over [lo, hi]. */
function inputFor(n: IntNetwork, k: number): Int32Array {
  return randomInput(n, k);
}

/** Runs inputs on the loaded program; asserts every output element and counter; returns the values compared and the last run's cycles. */
async function checkRun(p: AccelProgram, n: IntNetwork, inputs: readonly Int32Array[]): Promise<{ compared: number; cycles: number; stalls: number }> {
  let compared = 0;
  let cycles = 0;
  let stalls = 0;
  for (const x of inputs) {
    const r = await sim.infer(x);
    compared += expectAxiInference(p, n, x, r);
    // The layer-program interpreter runs the same bands: its output is runInt's too.
    expect(Array.from(runProgram(p, x).output)).toEqual(Array.from(r.output));
    cycles = r.counters.CYCLES;
    stalls = r.counters.STALL_CYCLES;
  }
  return { compared, cycles, stalls };
}

describe('AXI build with activations in external memory (one Verilator build)', () => {
  it('mnist_tiny: fits the activation RAM (no spill), and forced into 512 words it runs as row bands; both bit-exact, counters equal the models', async () => {
    const { inputs } = mnistDigits(mnist, 2);
    const fits = compileAxi(mnist, AXI_SPILL_CONFIG);
    expect(fits.spill).toBeUndefined();
    expect(fits.layers.length).toBe(mnist.layers.length);
    await sim.configure(FAST, hangCycles(fits));
    await sim.loadProgram(fits);
    const a = await checkRun(fits, mnist, inputs);
    const spilled = compileAxi(mnist, AXI_SPILL_CONFIG, { actWords: 512 });
    expect(spilled.spill).toBeDefined();
    expect(spilled.layers.length).toBeGreaterThan(mnist.layers.length);
    expect(axiMemoryMap(spilled).regions.map((r) => r.name)).toContain('acts');
    // Activation words are packed densely there (9 bytes each on the 8-byte bus, not two beats).
    expect(axiMemoryMap(spilled).regions.find((r) => r.name === 'acts')!.wordBytes).toBe(9);
    await sim.loadProgram(spilled);
    const b = await checkRun(spilled, mnist, inputs);
    // The memory image: the last intermediate tensor, read back from the packed activation region
    // with actPacking (the layout the RTL's write gearbox packs by), equals the interpreter's.
    const words = await sim.dumpActs();
    const run = runProgram(spilled, inputs[inputs.length - 1]!);
    const prev = run.layers[run.layers.length - 2]!;
    const d = spilled.layers.find((x) => x.name === prev.name && x.band !== undefined)!;
    const L = AXI_SPILL_CONFIG.lanes;
    const channels = d.tile?.layerOutChannels ?? d.outChannels;
    const groups = Math.ceil(channels / L);
    const fromMemory = Array.from({ length: d.oh * d.ow * channels }, (_, i) => {
      const px = Math.floor(i / channels);
      const ch = i % channels;
      const w = words[d.band!.tensorWord + px * groups + Math.floor(ch / L)]!;
      return Number(BigInt.asIntN(AXI_SPILL_CONFIG.actBits, w >> BigInt((ch % L) * AXI_SPILL_CONFIG.actBits)));
    });
    expect(fromMemory).toEqual(Array.from(prev.output));
    expect(fromMemory.length).toBeGreaterThan(0);
    process.stdout.write(`axi spill mnist_tiny: fits ${a.cycles} cycles; spilled into 512 words: ${spilled.layers.length} descriptors, ${b.cycles} cycles, ${axiTraffic(spilled).bytesRead} bytes read, ${axiTraffic(spilled).bytesWritten} written; ${a.compared + b.compared} values compared\n`);
    expect(a.compared + b.compared).toBeGreaterThan(0);
    // The same layer program as the build without spill would run, band for band, when it fits.
    expect(fits.layers.map((d) => d.band?.read)).toEqual(['input', ...fits.layers.slice(1).map(() => 'none')]);
  }, 300_000);

  it('resnet18_0.125_32 (residual adds, projection shortcuts, padded max pool) spilled, bit-exact, under READY/VALID stalls and with bursts split at 4 KiB', async () => {
    const net = resolveSynthetic('resnet18_0.125_32').net;
    let compared = 0;
    for (const [actWords, mem, skew] of [[undefined, FAST, 0], [512, STALLING, 0xff0]] as const) {
      const p = compileAxi(net, AXI_SPILL_CONFIG, actWords === undefined ? {} : { actWords });
      expect(p.spill).toBeDefined();
      expect(p.layers.some((d) => d.band?.read === 'ab')).toBe(true);
      await sim.configure(mem, hangCycles(p));
      await sim.loadProgram(p, axiMemoryMap(p, { skew }));
      const r = await checkRun(p, net, [inputFor(net, 1)]);
      compared += r.compared;
      process.stdout.write(`axi spill resnet18_0.125_32 (${actWords ?? 1024} words): ${p.layers.length} descriptors, ${r.cycles} cycles, ${r.stalls} stall\n`);
    }
    expect(compared).toBeGreaterThan(0);
  }, 300_000);

  it('mobilenet_v1_0.25_32 spilled, bit-exact', async () => {
    const net = resolveSynthetic('mobilenet_v1_0.25_32').net;
    const p = compileAxi(net, AXI_SPILL_CONFIG, { actWords: 384 });
    expect(p.spill).toBeDefined();
    await sim.configure(FAST, hangCycles(p));
    await sim.loadProgram(p);
    const r = await checkRun(p, net, [inputFor(net, 2)]);
    process.stdout.write(`axi spill mobilenet_v1_0.25_32 (384 words): ${p.layers.length} descriptors, ${r.cycles} cycles, ${r.compared} values compared\n`);
    expect(r.compared).toBeGreaterThan(0);
  }, 300_000);

  it('layers split into output-group tiles AND row bands (tiles run band by band) bit-exact', async () => {
    // Two 3x3 convolutions whose words exceed the 64-word tiles asked for: 3 + 3 tiles, each banded.
    const conv = (c: number) => ({ op: 'conv' as const, k: 3, s: 1, p: 1, c, wb: 4, act: 'relu' as const, bits: 4, signed: false, r: 'rnu' as const, norm: true, prelu: false });
    const n = buildNetwork({ h: 9, w: 7, c: 20, bits: 4, signed: false, seed: 17, layers: [conv(40), { ...conv(20), act: 'none', bits: 8, signed: true }] });
    const p = compileAxi(n, AXI_SPILL_CONFIG, { tileWords: 64, actWords: 400 });
    expect(p.spill).toBeDefined();
    const tiles = p.layers.filter((d) => d.tile !== undefined);
    expect(tiles.length).toBeGreaterThan(6);
    expect(new Set(tiles.map((d) => `${d.name}@${d.band!.oy0}`)).size).toBeGreaterThan(2);
    await sim.configure(STALLING, hangCycles(p));
    await sim.loadProgram(p);
    const r = await checkRun(p, n, [inputFor(n, 5), inputFor(n, 6)]);
    expect(r.compared).toBeGreaterThan(0);
  }, 300_000);

  it('random networks spilled into a small activation RAM equal runInt (the loadable property\'s generator)', async () => {
    let ran = 0;
    let spilled = 0;
    let compared = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(netSpecArb, fc.integer({ min: 0, max: 90 }), async (spec, pct) => {
        const n = buildNetwork(spec);
        let p: AccelProgram;
        let words = 0;
        try {
          // An activation RAM between the least the band plan accepts and what the live tensors need: the program spills.
          const used = compileAxi(n, AXI_SPILL_CONFIG).actWordsUsed;
          let lo = 1;
          for (let hi = used; lo < hi;) {
            const mid = (lo + hi) >> 1;
            try {
              compileAxi(n, AXI_SPILL_CONFIG, { actWords: mid });
              hi = mid;
            } catch (e) {
              if (!(e instanceof AccelCompileError)) throw e;
              lo = mid + 1;
            }
          }
          words = Math.min(used, lo + Math.floor(((used - lo) * pct) / 100));
          p = compileAxi(n, AXI_SPILL_CONFIG, { actWords: words });
        } catch (e) {
          if (e instanceof AccelCompileError) {
            refused++;
            return;
          }
          throw e;
        }
        await sim.configure(spec.seed % 2 === 0 ? FAST : { ...STALLING, seed: spec.seed }, 200_000);
        await sim.loadProgram(p);
        try {
          compared += (await checkRun(p, n, [randomInput(n, spec.seed)])).compared;
        } catch (e) {
          throw new Error(`${String(e)}\nactWords ${words}, network file:\n${JSON.stringify(n)}`);
        }
        ran++;
        if (p.spill !== undefined) spilled++;
      }),
      { seed, numRuns: long ? 400 : 80 },
    );
    process.stdout.write(`axi spill property: ${ran} networks (${spilled} spilled), ${refused} refused, ${compared} values compared\n`);
    expect(spilled).toBeGreaterThan(8);
    expect(compared).toBeGreaterThan(0);
  }, 600_000);
});

describe('AXI build with spill: bad memory maps (fresh processes of the same build)', () => {
  it('reports a band read outside the activation region with the region and the layer whose output it is', async () => {
    const s = new AxiSimulator(built);
    try {
      const p = compileAxi(mnist, AXI_SPILL_CONFIG, { actWords: 512 });
      const map = axiMemoryMap(p);
      const acts = map.regions.find((r) => r.name === 'acts')!;
      // Declared one word short: the highest band read or write falls outside it.
      const short = { ...acts, bytes: acts.bytes / 2 };
      await s.configure(FAST, hangCycles(p));
      await s.loadProgram(p, map, map.regions.map((r) => (r.name === 'acts' ? short : r)));
      const err = await s.infer(mnistDigits(mnist, 1).inputs[0]!).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AxiRunError);
      expect(err instanceof Error ? err.message : '').toMatch(/^AXI protocol violation on A[RW] at cycle \d+, address 0x[0-9a-f]+ \(acts region, word \d+: output of layer "[a-z0-9_]+"( or "[a-z0-9_]+")*\): access of \d+ bytes outside every declared region$/);
    } finally {
      s.kill();
    }
  }, 120_000);

  it('reports a band that reads activation bytes no band has written in this inference', async () => {
    const s = new AxiSimulator(built);
    try {
      const p = compileAxi(mnist, AXI_SPILL_CONFIG, { actWords: 512 });
      // Point the second layer's first band at the last intermediate layer's tensor, which is not written yet.
      const i = p.layers.findIndex((d) => d.band?.read === 'a');
      const later = [...p.layers].reverse().find((d) => d.band !== undefined && d.band.write && d.name !== p.layers[p.layers.length - 1]!.name && d.band.tensorWord !== p.layers[i]!.band!.readOffset)!;
      const d = p.layers[i]!;
      const bad: AccelProgram = { ...p, layers: p.layers.map((x, k) => (k === i ? { ...d, band: { ...d.band!, readOffset: later.band!.writeOffset } } : x)) };
      await s.configure(FAST, hangCycles(bad));
      await s.loadProgram(bad);
      const err = await s.infer(mnistDigits(mnist, 1).inputs[0]!).then(() => undefined, (e: unknown) => e);
      expect(err instanceof Error ? err.message : String(err)).toMatch(/^AXI protocol violation on AR at cycle \d+, address 0x[0-9a-f]+ \(acts region, word \d+.*\): read of read-write region bytes not written in this inference$/);
    } finally {
      s.kill();
    }
  }, 120_000);
});

describe('AXI build with spill: the WSTRB rules of the packed activation region (the same process)', () => {
  it('the checker refuses a partial strobe outside the activation region, a gap, a partial strobe mid-burst, an empty strobe; it accepts partial first and last beats', async () => {
    const cases: [string, RegExp][] = [
      ['wstrb-partial', /^VIOLATION W cycle 20 addr 0x2000: WSTRB is not all ones \(the accelerator writes whole beats outside the activation region\)$/],
      ['wstrb-gap', /^VIOLATION W cycle 21 addr 0x3000: WSTRB is not one contiguous run of ones$/],
      ['wstrb-lead-mid', /^VIOLATION W cycle 22 addr 0x3010: WSTRB skips leading bytes on a beat that is not its burst's first$/],
      ['wstrb-tail-mid', /^VIOLATION W cycle 23 addr 0x3000: WSTRB skips trailing bytes on a beat that is not its burst's last$/],
      ['wstrb-none', /^VIOLATION W cycle 24 addr 0x3000: WSTRB is not one contiguous run of ones$/],
    ];
    for (const [name, want] of cases) expect(await sim.selfTest(name)).toMatch(want);
    expect(await sim.selfTest('wstrb-edges')).toBe('OK none');
  });
});

describe('AXI build with spill: the fill ordering is load-bearing (fresh process of the same build)', () => {
  it('a program whose bands do not wait for the writes they read (rdAfter 0) fails the run instead of computing from stale rows', async () => {
    const s = new AxiSimulator(built);
    try {
      const p = compileAxi(mnist, AXI_SPILL_CONFIG, { actWords: 512 });
      expect(p.layers.some((d) => (d.band?.readAfter ?? 0) > 0)).toBe(true);
      const bad: AccelProgram = { ...p, layers: p.layers.map((d) => ({ ...d, band: { ...d.band!, readAfter: 0 } })) };
      await s.configure(FAST, hangCycles(bad));
      await s.loadProgram(bad);
      const x = mnistDigits(mnist, 1).inputs[0]!;
      const outcome = await s.infer(x).then((r) => (Array.from(r.output).join() === Array.from(runInt(mnist, x).output).join() ? 'bit-exact' : 'wrong output'), (e: unknown) => (e instanceof Error ? e.message : String(e)));
      process.stdout.write(`axi spill without fill ordering: ${outcome}\n`);
      expect(outcome).toMatch(/read of read-write region bytes not written in this inference|wrong output/);
    } finally {
      s.kill();
    }
  }, 120_000);
});

describe('spill compiler', () => {
  it('refuses a layer whose one output row does not fit, naming it; a build without spill still refuses live tensors beyond its RAM', () => {
    expect(() => compileAxi(mnist, AXI_SPILL_CONFIG, { actWords: 64 })).toThrow(/^accelerator: layer "[a-z0-9_]+": activation RAM: cannot be tiled into the configured buffers: one output row needs \d+ activation words \(input rows and the output row\), a band has 32: half of the activation RAM's 64 \(limited by the compiler option\) words \(actAddrBits 10\)$/);
    const noSpill = parseAccelConfig({ ...AXI_SPILL_CONFIG, spill: undefined, actAddrBits: 9 });
    expect(() => compileAxi(mnist, noSpill)).toThrow(/activation RAM/);
  });
});
