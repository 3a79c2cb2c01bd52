// The layer program's TypeScript interpreter equals runInt bit for bit (every layer's tensor), on
// the trained mnist_tiny and on random small networks; the compiler refuses what the hardware cannot run.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runInt } from '../../src/ref/index.ts';
import { AccelCompileError, compileAccel, parseAccelConfig, runProgram, DEFAULT_ACCEL_CONFIG } from '../../src/accel/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import { buildNetwork, maxPoolNetSpecArb, netSpecArb, randomInput } from '../../src/verify/randomNetwork.ts';
import { mnistDigits, mnistTinyInt } from './mnistModel.ts';

const seed = Number(process.env['PIKEHDL_SEED'] ?? 10);
const long = process.env['PIKEHDL_FUZZ'] === 'long';

/** Number of compared values; throws naming the first differing layer, channel and pixel. */
function compareAll(net: IntNetwork, config = DEFAULT_ACCEL_CONFIG, input: Int32Array): number {
  const program = compileAccel(net, config);
  const ref = runInt(net, input);
  const got = runProgram(program, input);
  let compared = 0;
  for (const t of got.layers) {
    const r = ref.outputs.get(t.name)!;
    expect(t.output.length).toBe(r.length);
    const bad = r.findIndex((v, i) => v !== t.output[i]);
    if (bad >= 0) throw new Error(`layer ${t.name}: element ${bad} is ${t.output[bad]}, runInt has ${r[bad]}`);
    compared += r.length;
  }
  return compared;
}

describe('accelerator layer program (TypeScript interpreter)', () => {
  it('equals runInt on every layer of mnist_tiny (pikelpn) for held-out digits', () => {
    const net = mnistTinyInt();
    const { inputs } = mnistDigits(net, long ? 200 : 20);
    let compared = 0;
    for (const x of inputs) compared += compareAll(net, DEFAULT_ACCEL_CONFIG, x);
    expect(compared).toBeGreaterThan(0);
  });

  it('equals runInt on random small networks (lanes 1..5)', () => {
    let compared = 0;
    fc.assert(
      fc.property(netSpecArb, fc.integer({ min: 1, max: 5 }), (spec, lanes) => {
        const net = buildNetwork(spec);
        const config = parseAccelConfig({ lanes, actAddrBits: 12, weightAddrBits: 12, paramAddrBits: 8, progAddrBits: 4, accBits: 40 });
        compared += compareAll(net, config, randomInput(net, spec.seed));
      }),
      { seed, numRuns: long ? 2000 : 150, verbose: true },
    );
    expect(compared).toBeGreaterThan(0);
  });

  it('equals runInt on random networks around padded, signed and clipped max pools; a sum in place of the max is caught', () => {
    let compared = 0;
    let pools = 0;
    let caught = 0;
    fc.assert(
      fc.property(maxPoolNetSpecArb, fc.integer({ min: 1, max: 4 }), (spec, lanes) => {
        const net = buildNetwork(spec);
        const config = parseAccelConfig({ lanes, actAddrBits: 12, weightAddrBits: 12, paramAddrBits: 8, progAddrBits: 4, accBits: 40 });
        const input = randomInput(net, spec.seed);
        compared += compareAll(net, config, input);
        const program = compileAccel(net, config);
        const at = program.layers.findIndex((l) => l.kind === 'max' && l.kh > 1);
        pools += program.layers.filter((l) => l.kind === 'max').length;
        if (at < 0) return;
        // The same program with the window summed instead of maxed must differ from runInt somewhere (or saturate identically).
        const broken = { ...program, layers: program.layers.map((l, i) => (i === at ? { ...l, kind: 'window' as const } : l)) };
        const got = runProgram(broken, input).layers[at]!.output;
        const want = runInt(net, input).outputs.get(program.layers[at]!.name)!;
        if (got.some((v, i) => v !== want[i])) caught++;
      }),
      { seed, numRuns: long ? 1000 : 100, verbose: true },
    );
    expect(pools).toBeGreaterThanOrEqual(200);
    expect(caught).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(0);
  });

  it('catches a broken schedule (a deliberately wrong rounding in the program)', () => {
    const net = mnistTinyInt();
    const program = compileAccel(net, DEFAULT_ACCEL_CONFIG);
    const broken = { ...program, layers: program.layers.map((l, i) => (i === 1 ? { ...l, rounding: 'rdn' as const } : l)) };
    const { inputs } = mnistDigits(net, 3);
    const differs = inputs.some((x) => {
      const a = runProgram(broken, x).layers[1]!.output;
      const r = runInt(net, x).outputs.get(program.layers[1]!.name)!;
      return a.some((v, i) => v !== r[i]);
    });
    expect(differs).toBe(true);
  });

  it('refuses what the hardware cannot run, naming layer, field and need', () => {
    const net = mnistTinyInt();
    expect(() => compileAccel(net, parseAccelConfig({ weightBits: 4 }))).toThrow(/layer "stem": weights: values -127\.\.127 need 8 signed bits, the accelerator's weightBits has 4/);
    expect(() => compileAccel(net, parseAccelConfig({ actAddrBits: 9 }))).toThrow(/layer "stem": activation RAM: .*actAddrBits >= 10/);
    expect(() => compileAccel(net, parseAccelConfig({ accBits: 12 }))).toThrow(AccelCompileError);
    const tfl = { ...net, layers: net.layers.map((l, i) => (i === 0 && l.op === 'conv2d' ? { ...l, requant: { kind: 'tflite' as const, bias: [0], multipliers: [1 << 30], shifts: [0] } } : l)) };
    expect(() => compileAccel(tfl, DEFAULT_ACCEL_CONFIG)).toThrow(/layer "stem": requant.kind: "tflite" requantization is not supported/);
    const fl = { ...net, layers: net.layers.map((l, i) => (i === 1 && l.op === 'depthwiseConv2d' && l.requant.kind === 'stages' ? { ...l, requant: { ...l.requant, scale: { arithmetic: 'float' as const, multipliers: [0.5] } } } : l)) };
    expect(() => compileAccel(fl, DEFAULT_ACCEL_CONFIG)).toThrow(/layer "b1_dw": requant: an fp32 stage is not supported/);
    expect(() => parseAccelConfig({ lanes: 0 })).toThrow(/lanes: must be >= 1/);
  });
});
