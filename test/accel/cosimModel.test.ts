// `pikehdl cosim --model`: the summary on held-out digits (the Verilated build is shared with
// accelerator.test.ts: same program, same hash), user errors as one-line CliErrors, and (long mode:
// one more Verilator build) the mismatch path: a perturbed reference is located to its layer,
// pixel and channel from the RTL, with a VCD and a replay command.
import { describe, expect, it } from 'vitest';
import { runCosimModel } from '../../src/cli/commands/cosimModel.ts';
import { CliError } from '../../src/cli/cliError.ts';

const long = process.env['PIKEHDL_FUZZ'] === 'long';

function io(): { lines: string[]; io: Parameters<typeof runCosimModel>[1] } {
  const lines: string[] = [];
  const err = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { lines, io: { out: (l: string) => void lines.push(l), err } };
}

describe('pikehdl cosim --model', () => {
  it('prints accuracy, cycles, utilization, per-layer cycles and equal ACEv2 on held-out digits', async () => {
    const { lines, io: sink } = io();
    const ok = await runCosimModel({ model: 'mnist_tiny', images: '3', start: '0', set: [], seed: '1' }, sink);
    const text = lines.join('\n');
    expect(ok).toBe(true);
    expect(text).toMatch(/3 held-out digits, 30 logits compared/);
    expect(text).toMatch(/accuracy: RTL (\d+\.\d+)%, reference \(runInt\) \1%/);
    expect(text).toMatch(/cycles per inference: 8009 compute \(ideal 6400/);
    expect(text).toMatch(/ACEv2 per inference: (\S+) from simulated activity, \1 analytic \(equal\)/);
    expect(text).toMatch(/result: bit-exact/);
  }, 300_000);

  it('refuses bad input with one line', async () => {
    const { io: sink } = io();
    await expect(runCosimModel({ model: 'nope.json', images: '1', set: [], seed: '1' }, sink)).rejects.toThrow(CliError);
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: ['weightBits=4'], seed: '1' }, sink)).rejects.toThrow(/layer "stem": weights: values -127\.\.127 need 8 signed bits/);
    await expect(runCosimModel({ model: 'mnist_tiny', images: '0', set: [], seed: '1' }, sink)).rejects.toThrow(/--images "0" is invalid/);
  });

  it.runIf(long)('locates a mismatch to its layer from the RTL, writes a VCD and prints the replay command', async () => {
    const { lines, io: sink } = io();
    const ok = await runCosimModel({ model: 'mnist_tiny', images: '2', start: '0', set: [], seed: '1' }, sink, {
      perturbReference: (i, layer, t) => {
        if (i === 1 && (layer === 'b2_pw' || layer === 'fc')) t[5]! += 1;
        return t;
      },
    });
    const text = lines.join('\n');
    expect(ok).toBe(false);
    expect(text).toMatch(/MISMATCH: image 1, logit 5/);
    expect(text).toMatch(/first differing layer in the RTL: "b2_pw" \(layer 4\), pixel \(y 0, x 0\), channel 5/);
    expect(text).toMatch(/VCD of that inference: .*\.vcd/);
    expect(text).toMatch(/replay: npm run pikehdl -- cosim --model mnist_tiny --start 1 --images 1/);
  }, 600_000);
});
