// The bench's design and its fast TypeScript reference are checked here
// against a plain lane-by-lane BigInt model, in Verilator and in Icarus, so
// the benchmark's "0 mismatches" means something.
import { describe, expect, it } from 'vitest';
import { dot16x4, dot16x4Ref } from '../../bench/dot16x4.ts';
import { buildSimulator, coSimulate, packValues, readValue, runIcarus, unpackValues } from '../../sim/index.ts';

/** Straightforward model of bench/fixtures/dot16x4.v, written independently of the table-driven one. */
function plainRef(x: bigint): bigint {
  let sum = 0n;
  for (let i = 0n; i < 16n; i++) {
    const a = (x >> (4n * i)) & 15n;
    const w = BigInt.asIntN(4, (x >> (64n + 4n * i)) & 15n);
    sum += a * w;
  }
  const relu = sum < 0n ? 0n : sum;
  const q = relu >> 2n > 255n ? 255n : relu >> 2n;
  return BigInt.asUintN(13, sum) | (q << 13n);
}

describe('bench design dot16x4', () => {
  const n = 4000;
  const inputs = dot16x4.generate(n, 77, 0);
  const values = Array.from({ length: n }, (_, i) => readValue(inputs, i, 128));
  // Corner cases: all-max activations with all-min and all-max weights.
  const corners = [
    (0xffffffffffffffffn) | (0x8888888888888888n << 64n),
    (0xffffffffffffffffn) | (0x7777777777777777n << 64n),
    0n,
  ];

  it('table-driven reference agrees with the plain model', () => {
    const all = [...corners, ...values];
    const packed = packValues(all, 128);
    all.forEach((x, i) => expect(BigInt(dot16x4Ref(packed, i))).toBe(plainRef(x)));
  });

  it('Verilator agrees with the plain model, and the fast check finds a planted error', async () => {
    const built = await buildSimulator(dot16x4.design, { log: () => undefined });
    const all = [...corners, ...values];
    const frame = { inputs: packValues(all, 128), count: all.length, expectOutputs: all.length, backpressure: { seed: 4, inValidPct: 70, outReadyPct: 70 } };
    const expected = packValues(all.map(plainRef), 21);
    const r = await coSimulate({ built, frames: [frame], expected: [expected], describe: 'dot16x4 plain model' });
    expect(r.compared).toBe(all.length);
    const wrong = new Uint8Array(expected);
    wrong[3 * 10]! ^= 1;
    expect(dot16x4.check(frame.inputs, expected, all.length)).toBe(0);
    expect(dot16x4.check(frame.inputs, wrong, all.length)).toBe(1);
  });

  it('Icarus agrees on 200 transactions', async () => {
    const some = [...corners, ...values.slice(0, 197)];
    const r = await runIcarus({ ...dot16x4.design, inputs: packValues(some, 128), count: some.length, expectOutputs: some.length });
    expect(unpackValues(r.outputs, some.length, 21)).toEqual(some.map(plainRef));
  });
});
