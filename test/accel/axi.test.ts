// The AXI build of the accelerator (config.memory 'axi') on ONE Verilator build, beside the C++
// AXI4 memory model and protocol checker (templates/harness/axiHarness.cpp.hbs): mnist_tiny
// digits and fast-check random networks bit-exact with runInt at several memory settings, the
// counters equal to the cycle and traffic model (src/accel/axiTraffic.ts) and to the memory
// model's own byte count; the checker's rules each shown to fire on scripted bad traffic; a
// region violation and a hang reported with channel, cycle, address and layer; refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AccelCompileError, AccelConfigError, type AccelProgram, axiImages, axiMemoryMap, layerWords, weightLayout, axiTraffic, compileAxi, parseAccelConfig, runProgram } from '../../src/accel/index.ts';
import type { BuiltSimulator } from '../../sim/index.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxiRunError, AxiSimulator, buildAxiAccelerator, hangCycles, rerunAxiWithTrace, type MemorySettings } from '../../sim/accel/axiSim.ts';
import { runInt } from '../../src/ref/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import { mnistDigits, mnistTinyInt } from './mnistModel.ts';
import { buildNetwork, netSpecArb, randomInput } from '../../src/verify/randomNetwork.ts';
import { AXI_TEST_CONFIG } from './axiTestConfig.ts';
import { generateAxiAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { expectAxiInference } from '../support/axiInferenceChecks.ts';

const seed = Number(process.env['PIKEHDL_SEED'] ?? 11);
const long = process.env['PIKEHDL_FUZZ'] === 'long';

const FAST: MemorySettings = { latency: 1, bytesPerCycle: 16, maxOutstanding: 4, stallPct: 0, seed: 1 };
const SLOW: MemorySettings = { latency: 40, bytesPerCycle: 2, maxOutstanding: 4, stallPct: 0, seed: 2 };
const STALLING: MemorySettings = { latency: 7, bytesPerCycle: 3.5, maxOutstanding: 2, stallPct: 30, seed: 3 };

let built: BuiltSimulator;
let sim: AxiSimulator;
let net: IntNetwork;
let program: AccelProgram;

beforeAll(async () => {
  net = mnistTinyInt();
  program = compileAxi(net, AXI_TEST_CONFIG);
  built = await buildAxiAccelerator(AXI_TEST_CONFIG);
  sim = new AxiSimulator(built);
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

/** Runs inputs; asserts every output element, the class and every counter; returns the compared count and stall cycles. */
async function checkRun(p: AccelProgram, n: IntNetwork, inputs: readonly Int32Array[]): Promise<{ compared: number; stalls: number[]; cycles: number[] }> {
  let compared = 0;
  const stalls: number[] = [];
  const cycles: number[] = [];
  for (const x of inputs) {
    const r = await sim.infer(x);
    compared += expectAxiInference(p, n, x, r);
    let best = 0;
    for (let i = 1; i < r.output.length; i++) if (r.output[i]! > r.output[best]!) best = i;
    expect(best).toBe(runProgram(p, x).predicted);
    stalls.push(r.counters.STALL_CYCLES);
    cycles.push(r.counters.CYCLES);
  }
  return { compared, stalls, cycles };
}

describe('AXI build (one Verilator build, C++ memory model)', () => {
  it('identifies itself over AXI-Lite (ID, HWCFG) as the register map says', async () => {
    expect(await sim.readRegister('ID')).toBe(0x504b0001);
    const hw = await sim.readRegister('HWCFG');
    expect(hw & 0xff).toBe(8);
    expect((hw >>> 24) & 0xff).toBe(8);
  });

  it('runs mnist_tiny digits bit-exact at two memory settings; counters equal the cycle and traffic model', async () => {
    const { inputs } = mnistDigits(net, 3);
    const results: { compared: number; stalls: number[] }[] = [];
    for (const mem of [FAST, SLOW]) {
      await sim.configure(mem, hangCycles(program));
      await sim.loadProgram(program);
      results.push(await checkRun(program, net, inputs));
    }
    const compared = results.reduce((s, r) => s + r.compared, 0);
    process.stdout.write(`axi mnist_tiny: ${compared} values compared; stall cycles fast ${results[0]!.stalls[0]}, slow ${results[1]!.stalls[0]}\n`);
    expect(compared).toBeGreaterThan(0);
    // The slow memory stalls more than the fast one (measured, not modelled exactly).
    expect(results[1]!.stalls[0]!).toBeGreaterThan(results[0]!.stalls[0]!);
  }, 300_000);

  it('stays bit-exact with random READY/VALID stalls and regions placed so that bursts must split at 4 KiB', async () => {
    await sim.configure(STALLING, hangCycles(program));
    // 0xff0: every region, the 32-byte output too, straddles a 4 KiB boundary 16 bytes in.
    await sim.loadProgram(program, axiMemoryMap(program, { skew: 0xff0 }));
    const { inputs } = mnistDigits(net, 2);
    const r = await checkRun(program, net, inputs);
    expect(r.compared).toBeGreaterThan(0);
  }, 300_000);

  it('equals runInt on random networks (the loadable property\'s generator)', async () => {
    let compared = 0;
    let ran = 0;
    let refused = 0;
    let tiled = 0;
    await fc.assert(
      fc.asyncProperty(netSpecArb, async (spec) => {
        const n = buildNetwork(spec);
        let p;
        try {
          p = compileAxi(n, AXI_TEST_CONFIG);
          // Tile where the network allows (same build): descriptors limited to the largest conv layer's
          // words per output group, so a conv layer with several output groups splits into tiles.
          const convs = p.layers.filter((d) => d.kind === 'conv');
          const widest = Math.max(0, ...convs.map((d) => d.wOgStride));
          if (convs.some((d) => d.og > 1 && d.og * d.wOgStride > widest)) {
            try {
              p = compileAxi(n, AXI_TEST_CONFIG, { tileWords: widest });
            } catch (e) {
              if (!(e instanceof AccelCompileError)) throw e;
            }
          }
          if (p.layers.some((d) => d.tile !== undefined)) tiled++;
        } catch (e) {
          if (e instanceof AccelCompileError) {
            refused++;
            return;
          }
          throw e;
        }
        // Alternate a fast memory and a slow one with random READY/VALID stalls.
        await sim.configure(spec.seed % 2 === 0 ? FAST : { ...STALLING, seed: spec.seed }, 200_000);
        await sim.loadProgram(p);
        const x = randomInput(n, spec.seed);
        try {
          compared += (await checkRun(p, n, [x])).compared;
        } catch (e) {
          throw new Error(`${String(e)}\nnetwork file:\n${JSON.stringify(n)}`);
        }
        ran++;
      }),
      { seed, numRuns: long ? 300 : 40, verbose: true },
    );
    process.stdout.write(`axi property: ${ran} networks (${tiled} with output-group tiles), ${refused} refused, ${compared} values compared\n`);
    expect(tiled).toBeGreaterThan(0);
    expect(ran).toBeGreaterThan(refused);
    expect(compared).toBeGreaterThan(0);
  }, 600_000);

  it('runs layers split into output-group tiles (the last layer too) bit-exact, same build', async () => {
    const n = tiledNetwork();
    const p = compileAxi(n, AXI_TEST_CONFIG);
    const tiles = p.layers.filter((d) => d.tile !== undefined);
    expect(tiles.length).toBe(6);
    expect(p.layers[p.layers.length - 1]!.tile).toBeDefined();
    await sim.configure(STALLING, hangCycles(p));
    await sim.loadProgram(p);
    let compared = 0;
    for (let k = 0; k < 2; k++) compared += (await checkRun(p, n, [randomInput(n, 40 + k)])).compared;
    expect(compared).toBeGreaterThan(0);
  }, 120_000);

  it('catches a wrong weight image in memory (the check fails on a deliberately corrupted byte)', async () => {
    await sim.configure(FAST, hangCycles(program));
    const map = axiMemoryMap(program);
    await sim.loadProgram(program, map);
    const x = mnistDigits(net, 1).inputs[0]!;
    const w = map.regions.find((r) => r.name === 'weights')!;
    const byte = axiImages(program, map, x).weights[0]!;
    expect(await sim.command(`LOAD ${w.base.toString(16)} ${((byte ^ 0x40) & 0xff).toString(16).padStart(2, '0')}`)).toBe('OK');
    const r = await sim.infer(x);
    expect(Array.from(r.output)).not.toEqual(Array.from(runInt(net, x).output));
  });

  it('the protocol checker names channel, cycle and address for each rule (scripted bad traffic)', async () => {
    const cases: [string, RegExp][] = [
      ['valid-drop', /^VIOLATION AR cycle 11 addr 0x1000: VALID dropped before READY$/],
      ['payload-change', /^VIOLATION AR cycle 11 addr 0x1000: payload changed while VALID and not READY$/],
      ['cross-4k', /^VIOLATION AR cycle 12 addr 0x1fc0: burst of 16 beats crosses a 4 KiB boundary$/],
      ['wrong-size', /^VIOLATION AR cycle 13 addr 0x1000: AxSIZE 2 is not the bus width's 3$/],
      ['wrong-burst', /^VIOLATION AR cycle 14 addr 0x1000: AxBURST 2 is not INCR \(1\)$/],
      ['outside', /^VIOLATION AR cycle 15 addr 0x8000: access of 8 bytes outside every declared region$/],
      ['read-only', /^VIOLATION AW cycle 16 addr 0x1000: write to a read-only region$/],
      ['write-only', /^VIOLATION AR cycle 17 addr 0x2000: read of a write-only region$/],
      ['wlast-early', /^VIOLATION W cycle 18 addr 0x2008: WLAST before beat AWLEN \(3\)$/],
      ['wlast-missing', /^VIOLATION W cycle 19 addr 0x2018: WLAST missing on beat AWLEN \(3\)$/],
    ];
    for (const [name, want] of cases) expect(await sim.selfTest(name)).toMatch(want);
    // The same checker passes legal traffic: the rules above are not always-fail.
    expect(await sim.selfTest('good')).toBe('OK none');
  });
});

describe('AXI build: bad memory maps and hangs (fresh processes of the same build)', () => {
  it('reports a read outside the declared regions with its channel, cycle, address and layer', async () => {
    const s = new AxiSimulator(built);
    try {
      const map = axiMemoryMap(program);
      // The weights region is declared one layer short: the DMA's first read of the last layer's words is outside it.
      const last = program.layers[program.layers.length - 1]!;
      const w = map.regions.find((r) => r.name === 'weights')!;
      const short = { ...w, bytes: weightLayout(program)[program.layers.length - 1]!.offset };
      await s.configure(FAST, hangCycles(program));
      await s.loadProgram(program, map, map.regions.map((r) => (r.name === 'weights' ? short : r)));
      const err = await s.infer(mnistDigits(net, 1).inputs[0]!).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AxiRunError);
      const addr = (w.base + short.bytes).toString(16);
      expect(err instanceof Error ? err.message : '').toMatch(new RegExp(`^AXI protocol violation on AR at cycle \\d+, address 0x${addr} \\(weights region, byte ${short.bytes}: layer "${last.name}"\\): access of \\d+ bytes outside every declared region$`));
    } finally {
      s.kill();
    }
  }, 120_000);

  it('ends a run that does not finish within its cycle budget (OVERRUN), instead of clocking forever', async () => {
    const s = new AxiSimulator(built);
    try {
      await s.configure(FAST, hangCycles(program));
      await s.loadProgram(program);
      // An inference takes about 9,000 cycles here: 2,000 is a design still busy at its budget.
      await expect(s.infer(mnistDigits(net, 1).inputs[0]!, 2000)).rejects.toThrow(/^AXI harness: OVERRUN cycle \d+: no irq within the run's budget of 2000 cycles$/);
    } finally {
      s.kill();
    }
  }, 120_000);

  it('refuses a START it cannot run (NLAYERS 0, an unaligned base) with DONE and ERROR, and flags an SLVERR response', async () => {
    const s = new AxiSimulator(built);
    try {
      await s.configure(FAST, hangCycles(program));
      await s.loadProgram(program);
      const x = mnistDigits(net, 1).inputs[0]!;
      await s.writeRegister('NLAYERS', 0);
      await expect(s.infer(x)).rejects.toThrow(/^accelerator STATUS 0x6: ERROR set/);
      await s.writeRegister('NLAYERS', program.layers.length);
      const base = await s.readRegister('INPUT_BASE');
      await s.writeRegister('INPUT_BASE', base + 4);
      await expect(s.infer(x)).rejects.toThrow(/^accelerator STATUS 0x6: ERROR set/);
      await s.writeRegister('INPUT_BASE', base);
      // The same setup runs once corrected; then one R beat answers SLVERR.
      expect(Array.from((await s.infer(x)).output)).toEqual(Array.from(runInt(net, x).output));
      expect(await s.command('FAULT 100')).toBe('OK');
      await expect(s.infer(x)).rejects.toThrow(/ERROR set/);
    } finally {
      s.kill();
    }
  }, 120_000);

  it('reports a hang (a memory too slow to make progress within the hang bound) instead of waiting forever', async () => {
    const s = new AxiSimulator(built);
    try {
      await s.configure({ ...FAST, bytesPerCycle: 0.001 }, 3000);
      await s.loadProgram(program);
      const err = await s.infer(mnistDigits(net, 1).inputs[0]!).then(() => undefined, (e: unknown) => e);
      expect(String(err)).toMatch(/AXI harness: HANG cycle \d+: no AXI handshake since cycle \d+ and no irq/);
    } finally {
      s.kill();
    }
  }, 120_000);
});

describe.runIf(long)('AXI build with a 128-bit bus (second build, PIKEHDL_FUZZ=long only)', () => {
  it('runs mnist_tiny digits bit-exact', async () => {
    const c = parseAccelConfig({ ...AXI_TEST_CONFIG, axiDataBits: 128, axiMaxBurst: 8, axiMaxOutstanding: 2 });
    const p = compileAxi(net, c);
    const s = new AxiSimulator(await buildAxiAccelerator(c));
    try {
      await s.configure(SLOW, hangCycles(p));
      await s.loadProgram(p);
      const { inputs } = mnistDigits(net, 4);
      for (const x of inputs) {
        const r = await s.infer(x);
        expect(Array.from(r.output)).toEqual(Array.from(runInt(net, x).output));
        expect(r.counters.BYTES_READ).toBe(axiTraffic(p).bytesRead);
        expect(r.modelBytesRead).toBe(axiTraffic(p).bytesRead);
      }
    } finally {
      await s.close();
    }
  }, 300_000);
});

/** Two 3x3 convolutions whose words exceed half of the test build's weight buffer (64 words): 3 + 3 output-group tiles. */
function tiledNetwork(): IntNetwork {
  const conv = (c: number) => ({ op: 'conv' as const, k: 3, s: 1, p: 1, c, wb: 4, act: 'relu' as const, bits: 4, signed: false, r: 'rnu' as const, norm: true, prelu: false });
  return buildNetwork({ h: 5, w: 5, c: 20, bits: 4, signed: false, seed: 17, layers: [conv(40), { ...conv(20), act: 'none', bits: 8, signed: true }] });
}

describe('waveforms of the AXI build', () => {
  it('the traced twin writes a VCD of an inference (program load included); an untraced build refuses PIKEHDL_VCD in one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pikehdl-axi-vcd-'));
    try {
      const x = mnistDigits(net, 1).inputs[0]!;
      const vcd = await rerunAxiWithTrace(built, program, FAST, x, path.join(dir, 'run.vcd'));
      const text = readFileSync(vcd, 'utf8');
      expect(text).toContain('$enddefinitions');
      expect(text).toMatch(/\$var wire +1 \S+ m_axi_arvalid/);
      // Two samples per cycle: at least twice the inference's cycles of timestamps.
      const stamps = text.split('\n').filter((l) => /^#\d+$/.test(l)).length;
      expect(stamps).toBeGreaterThan(2 * axiTraffic(program).computeCycles);
      const s = new AxiSimulator(built, { vcd: path.join(dir, 'untraced.vcd') });
      try {
        await expect(s.configure(FAST, hangCycles(program))).rejects.toThrow(/PIKEHDL_VCD is set but this build has no --trace/);
      } finally {
        s.kill();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

// Each rewrite of the emitted Verilog breaks one rule; the checker must name it (long mode builds them).
const FAULTS: [string, string, string, RegExp][] = [
  ['ARVALID dropped after one cycle', "wire dma_arvalid_t1 = dma_arvalid_t0 ? 1'b0 : dma_arvalid;", "wire dma_arvalid_t1 = dma_arvalid_t0 ? 1'b0 : 1'b0;", /on AR at cycle \d+, address 0x[0-9a-f]+ \(.*\): VALID dropped before READY$/],
  ['write bursts not split at 4 KiB', 'assign wr_burst = wr_burst_t5[8:0];', 'assign wr_burst = wr_burst_t1[8:0];', /on AW at cycle \d+, address 0x[0-9a-f]+ \(output region, word 0\): burst of \d+ beats crosses a 4 KiB boundary$/],
  ['WLAST one beat early', "assign m_axi_wlast = wr_burst_left == 9'd1;", "assign m_axi_wlast = wr_burst_left == 9'd2;", /on W at cycle \d+, address 0x[0-9a-f]+ \(output region, word 0\): WLAST before beat AWLEN/],
];

describe('deliberately broken masters: the rewrites still apply (default mode, no build)', () => {
  // Without this, a renamed wire would leave the long-mode tests patching nothing, unnoticed until a long run.
  it('each line a fault rewrites occurs exactly once in the emitted AXI design', () => {
    const text = emitDesign(generateAxiAccelerator(AXI_TEST_CONFIG)).sources.map((x) => x.text).join('\n');
    for (const [what, from] of FAULTS) expect(text.split(from).length - 1, what).toBe(1);
  });
});

describe.runIf(long)('deliberately broken masters on the real design (one build each, PIKEHDL_FUZZ=long only)', () => {
  const faults = FAULTS;
  for (const [what, from, to, want] of faults) {
    it(`catches: ${what}`, async () => {
      let found = false;
      const b = await buildAxiAccelerator(AXI_TEST_CONFIG, undefined, (t) => {
        if (t.includes(from)) found = true;
        return t.replace(from, to);
      });
      expect(found).toBe(true);
      const s = new AxiSimulator(b);
      try {
        await s.configure({ ...STALLING, seed: 5 }, hangCycles(program));
        await s.loadProgram(program, axiMemoryMap(program, { skew: 0xff0 }));
        const err = await s.infer(mnistDigits(net, 1).inputs[0]!).then(() => undefined, (e: unknown) => e);
        expect(err instanceof Error ? err.message : String(err)).toMatch(want);
      } finally {
        s.kill();
      }
    }, 300_000);
  }
});

describe('AXI configuration and compiler refusals', () => {
  it('output-group tiles on random networks (2 lanes, tiles of one output group): the interpreter equals runInt', () => {
    const c = parseAccelConfig({ ...AXI_TEST_CONFIG, lanes: 2 });
    let tiles = 0;
    let compared = 0;
    fc.assert(
      fc.property(netSpecArb, (spec) => {
        const n = buildNetwork(spec);
        let p;
        try {
          const plain = compileAxi(n, c);
          const widest = Math.max(1, ...plain.layers.filter((d) => d.kind === 'conv').map((d) => d.wOgStride));
          p = compileAxi(n, c, { tileWords: Math.min(widest, 64) });
        } catch (e) {
          if (e instanceof AccelCompileError) return;
          throw e;
        }
        tiles += p.layers.filter((d) => d.tile !== undefined).length;
        const x = randomInput(n, spec.seed);
        const ref = Array.from(runInt(n, x).output);
        expect(Array.from(runProgram(p, x).output)).toEqual(ref);
        compared += ref.length;
      }),
      { seed, numRuns: long ? 1000 : 150 },
    );
    expect(tiles).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(0);
  });

  it('output-group tiles: the interpreter equals runInt on the tiled program; each tile fits a half', () => {
    const n = tiledNetwork();
    const p = compileAxi(n, AXI_TEST_CONFIG);
    expect(p.layers.map((d) => `${d.name}:${d.tile?.group0 ?? '-'}+${d.og}`)).toEqual(['l0_conv:0+2', 'l0_conv:2+2', 'l0_conv:4+1', 'l1_conv:0+1', 'l1_conv:1+1', 'l1_conv:2+1']);
    for (let i = 0; i < p.layers.length; i++) expect(layerWords(p, i).weights).toBeLessThanOrEqual(64);
    for (let k = 0; k < 3; k++) {
      const x = randomInput(n, k);
      expect(Array.from(runProgram(p, x).output)).toEqual(Array.from(runInt(n, x).output));
    }
    // Without tiling the same layers would not fit: the refusal names the layer that cannot be split.
    expect(p.layers.reduce((sum, d) => sum + d.macs, 0)).toBe(5 * 5 * 9 * (20 * 40 + 40 * 20));
  });

  it('refuses a layer that does not fit half of the double-buffered weight buffer, naming it', () => {
    const small = parseAccelConfig({ ...AXI_TEST_CONFIG, weightAddrBits: 4 });
    expect(() => compileAxi(net, small)).toThrow(AccelCompileError);
    expect(() => compileAxi(net, small)).toThrow(/^accelerator: layer "stem": weight buffer: cannot be tiled into the configured buffers: the layer needs \d+ weight words, half of the double-buffered weight buffer holds 8 \(weightAddrBits 4; needs >= 5 to tile it by output groups\)$/);
  });

  it('validates the AXI fields, naming them', () => {
    expect(() => parseAccelConfig({ axiDataBits: 64 })).toThrow(/^accelerator config: axiDataBits: is only meaningful with memory "axi"$/);
    expect(() => parseAccelConfig({ memory: 'axi', axiDataBits: 48 })).toThrow(/^accelerator config: axiDataBits: must be 32, 64, 128 or 256$/);
    expect(() => parseAccelConfig({ memory: 'axi', loadable: true })).toThrow(/^accelerator config: loadable: must be false with memory "axi"/);
    expect(() => parseAccelConfig({ memory: 'dram' })).toThrow(AccelConfigError);
    expect(() => parseAccelConfig({ memory: 'axi', axiMaxBurst: 0 })).toThrow(/^accelerator config: axiMaxBurst: must be >= 1$/);
  });
});
