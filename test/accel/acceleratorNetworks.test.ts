// Random small networks on ONE Verilated build of a loadable accelerator: fast-check draws the
// network (randomNetwork.ts), the compiler compiles it for the fixed hardware configuration, the
// program is loaded through the input stream, random inputs run, and every output element and
// counter beat must equal runInt and the layer program. A failure shrinks to the smallest network,
// printed as an integer network file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AccelCompileError, compileAccel, parseAccelConfig, runProgram } from '../../src/accel/index.ts';
import { runInt } from '../../src/ref/index.ts';
import { buildLoadableAccelerator, acceleratorFrame, decodeFrame, loadFrame, startSimulator } from '../../sim/accel/acceleratorSim.ts';
import { beatsToValues, expectedBeats } from '../../sim/accel/expectedBeats.ts';
import { type Simulator, runIcarus, unpackValues } from '../../sim/index.ts';
import { generateAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { firstDifferingLayer } from '../../sim/accel/locateLayer.ts';
import { buildNetwork, maxPoolNetSpecArb, netSpecArb, randomInput } from '../../src/verify/randomNetwork.ts';

const seed = Number(process.env['PIKEHDL_SEED'] ?? 11);
const long = process.env['PIKEHDL_FUZZ'] === 'long';

/** The fixed hardware: 4 lanes, widths that hold every network randomNetwork.ts draws (or the compiler refuses it). */
export const PROPERTY_CONFIG = parseAccelConfig({
  lanes: 4, actBits: 9, weightBits: 8, accBits: 24, normMulBits: 10, normOffBits: 32, scaleMulBits: 17, scaleOffBits: 32, preluBits: 8,
  shiftBits: 6, dimBits: 4, actAddrBits: 9, weightAddrBits: 9, paramAddrBits: 5, progAddrBits: 3, loadable: true,
});

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator(await buildLoadableAccelerator(PROPERTY_CONFIG), { timeoutMs: 60_000 });
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

describe('accelerator RTL on random networks (one loadable build)', () => {
  it('equals runInt and the layer program on every output and counter', async () => {
    let compared = 0;
    let ran = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(netSpecArb, async (spec) => {
        const net = buildNetwork(spec);
        let program;
        try {
          program = compileAccel(net, PROPERTY_CONFIG);
        } catch (e) {
          if (e instanceof AccelCompileError) {
            refused++;
            return;
          }
          throw e;
        }
        await sim.run(loadFrame(program));
        for (let k = 0; k < 2; k++) {
          const x = randomInput(net, spec.seed + k);
          const r = decodeFrame(program, await sim.run(acceleratorFrame(program, x)));
          const ref = Array.from(runInt(net, x).output);
          const expected = beatsToValues(expectedBeats(program, runProgram(program, x)));
          const got = beatsToValues(r.beats);
          const same = ref.every((v, i) => v === r.beats.output[i]) && expected.every((v, i) => v === got[i]);
          if (!same) throw new Error(`RTL differs: got ${got.join(',')} expected ${expected.join(',')} (runInt ${ref.join(',')})\nnetwork file:\n${JSON.stringify(net)}`);
          compared += got.length;
        }
        ran++;
      }),
      { seed, numRuns: long ? 1000 : 100, verbose: true },
    );
    process.stdout.write(`accelerator property: ${ran} networks co-simulated, ${refused} refused by the compiler, ${compared} values compared\n`);
    expect(ran).toBeGreaterThan(refused);
    expect(compared).toBeGreaterThan(0);
  }, 600_000);

  it('runs padded, signed and clipped max pools as runInt does (same build)', async () => {
    let compared = 0;
    let pools = 0;
    await fc.assert(
      fc.asyncProperty(maxPoolNetSpecArb, async (spec) => {
        const net = buildNetwork(spec);
        let program;
        try {
          program = compileAccel(net, PROPERTY_CONFIG);
        } catch (e) {
          if (e instanceof AccelCompileError) return;
          throw e;
        }
        await sim.run(loadFrame(program));
        const x = randomInput(net, spec.seed);
        const r = decodeFrame(program, await sim.run(acceleratorFrame(program, x)));
        const expected = beatsToValues(expectedBeats(program, runProgram(program, x)));
        const got = beatsToValues(r.beats);
        const ref = Array.from(runInt(net, x).output);
        if (!ref.every((v, i) => v === r.beats.output[i]) || !expected.every((v, i) => v === got[i])) {
          throw new Error(`RTL differs: got ${got.join(',')} expected ${expected.join(',')} (runInt ${ref.join(',')})\nnetwork file:\n${JSON.stringify(net)}`);
        }
        compared += got.length;
        pools += program.layers.filter((l) => l.kind === 'max').length;
      }),
      { seed, numRuns: long ? 300 : 30, verbose: true },
    );
    process.stdout.write(`accelerator max-pool property: ${pools} max pools co-simulated, ${compared} values compared\n`);
    expect(pools).toBeGreaterThanOrEqual(30);
    expect(compared).toBeGreaterThan(0);
  }, 600_000);

  it('locates the first differing layer, pixel and channel from the RTL (against a perturbed reference)', async () => {
    const net = buildNetwork({ h: 4, w: 4, c: 3, bits: 4, signed: false, seed: 9, layers: [
      { op: 'conv', k: 3, s: 1, p: 1, c: 5, wb: 4, act: 'relu', bits: 4, signed: false, r: 'rnu', norm: true, prelu: false },
      { op: 'dw', k: 3, s: 2, p: 1, wb: 4, act: 'none', bits: 6, signed: true, r: 'rne', norm: false, prelu: true },
      { op: 'dense', c: 3, wb: 8, act: 'none', bits: 8, signed: true, r: 'rnu', norm: false, prelu: false },
    ] });
    const x = randomInput(net, 4);
    const ref = runInt(net, x).outputs;
    expect(await firstDifferingLayer(sim, PROPERTY_CONFIG, net, x, (n) => ref.get(n)!)).toBeUndefined();
    // Perturb layer 1 at pixel (1, 0), channel 2: the locator must name exactly that.
    const target = net.layers[1]!.name;
    const perturbed = (n: string): Int32Array => {
      const t = Int32Array.from(ref.get(n)!);
      if (n === target) t[(1 * 2 + 0) * 5 + 2]! += 1;
      return t;
    };
    expect(await firstDifferingLayer(sim, PROPERTY_CONFIG, net, x, perturbed)).toMatchObject({ layer: 1, name: target, y: 1, x: 0, channel: 2 });
  });

  it('Icarus agrees with the layer program on a residual network with a padded max pool (ROM build, inline images)', async () => {
    const net = buildNetwork({ h: 4, w: 4, c: 3, bits: 4, signed: true, seed: 5, layers: [
      { op: 'conv', k: 3, s: 1, p: 1, c: 3, wb: 4, act: 'relu', bits: 4, signed: false, r: 'rne', norm: true, prelu: true },
      { op: 'add', back: 1, r: 'rna', act: 'none', prelu: true },
      { op: 'maxpool', k: 3, s: 2, p: 1, clip: false },
      { op: 'pool', global: true, r: 'rnu' },
    ] });
    const program = compileAccel(net, parseAccelConfig({ lanes: 3 }));
    const d = emitDesign(generateAccelerator(program), { romInit: 'inline' });
    const x = randomInput(net, 2);
    const f = acceleratorFrame(program, x);
    const r = await runIcarus({ top: d.top, sources: d.sources.map((s) => ({ name: s.name, text: s.text })), inWidth: d.inWidth, outWidth: d.outWidth, inputs: f.inputs, count: f.count, expectOutputs: f.expectOutputs });
    const got = unpackValues(r.outputs, r.count, program.config.outBits).map((v) => BigInt.asIntN(program.config.outBits, v));
    const expected = beatsToValues(expectedBeats(program, runProgram(program, x)));
    expect(got).toEqual(expected);
    expect(got.slice(0, 3).map(Number)).toEqual(Array.from(runInt(net, x).output));
  });

  it('catches a wrong weight image (the check fails on a deliberately corrupted load)', async () => {
    const net = buildNetwork({ h: 3, w: 3, c: 2, bits: 4, signed: false, seed: 3, layers: [{ op: 'conv', k: 3, s: 1, p: 1, c: 3, wb: 4, act: 'none', bits: 8, signed: true, r: 'rnu', norm: false, prelu: false }] });
    const program = compileAccel(net, PROPERTY_CONFIG);
    const corrupted = { ...program, weightWords: program.weightWords.map((w, i) => (i === 4 ? w.map((v, j) => (j === 0 ? v + 1 : v)) : w)) };
    await sim.run(loadFrame(corrupted));
    const x = randomInput(net, 1).map(() => 7);
    const r = decodeFrame(program, await sim.run(acceleratorFrame(program, x)));
    const ref = Array.from(runInt(net, x).output);
    expect(ref.some((v, i) => v !== r.beats.output[i])).toBe(true);
  });
});
