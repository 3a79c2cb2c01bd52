// `pikehdl cosim` end to end: two small units pass as a child process (exit 0,
// outputs compared > 0), a bad --set value is one clear line and exit 2, and a
// perturbed expectation (the in-process hook) fails with the seed, the first
// mismatch, a replay line and a VCD that exists.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCosim } from '../../src/cli/commands/cosim.ts';
import { CliError } from '../../src/cli/cliError.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'cosim', ...args], { cwd: ROOT, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const compared = (stdout: string): number => Number(/^ {2}compared +(\d+) outputs/m.exec(stdout)?.[1] ?? 0);

const args = (over: Partial<Parameters<typeof runCosim>[0]>): Parameters<typeof runCosim>[0] => ({
  unit: 'quant_norm',
  set: [],
  seed: '1',
  icarus: '32',
  vcd: 'on-failure',
  ...over,
});

function capture(): { lines: string[]; io: Parameters<typeof runCosim>[1] } {
  const lines: string[] = [];
  const err = new Writable({ write: (_chunk, _enc, done) => done() });
  return { lines, io: { out: (l) => lines.push(l), err } };
}

describe('pikehdl cosim', () => {
  it('co-simulates quant_norm and a 2-lane residual_add: exit 0, outputs compared, plain progress lines when stderr is not a terminal', async () => {
    const qn = await cli(['--unit', 'quant_norm', '--transactions', '200', '--seed', '7']);
    expect(qn.stderr).toMatch(/^cosim 2\/3 quant_norm: co-simulating 200 input transactions$/m);
    expect(qn.code, qn.stderr).toBe(0);
    expect(qn.stdout).toMatch(/^cosim quant_norm: PASS$/m);
    expect(compared(qn.stdout)).toBe(200 + 32);
    expect(qn.stdout).toMatch(/^ {2}ACEv2 +\d+ .*= inventory x 200 output handshakes$/m);

    const res = await cli(['--unit', 'residual_add', '--set', 'lanes=2', '--transactions', '150', '--backpressure', '--icarus', '10']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/"lanes":2/);
    expect(compared(res.stdout)).toBe(150 + 3 * 150 + 10); // 2 seeds + the slow consumer
  }, 300_000);

  it('a bad --set value names the field, the value and the rule, and exits 2', async () => {
    const r = await cli(['--unit', 'quant_norm', '--set', 'multiplierBits=17']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('pikehdl: unit quant_norm: config field multiplierBits = 17 is invalid: must be an integer from 2 to 16');
    expect(r.stdout).toBe('');
  }, 60_000);

  it('refuses unknown units, generators without a bench and bad options before building anything', async () => {
    const { io } = capture();
    await expect(runCosim(args({ unit: 'conv9' }), io)).rejects.toThrow(CliError);
    await expect(runCosim(args({ unit: 'conv9' }), io)).rejects.toThrow(/--unit "conv9" is unknown: units that co-simulate are mac_array, depthwise/);
    await expect(runCosim(args({ unit: 'fifo' }), io)).rejects.toThrow(/--unit "fifo" is registered but has no stimulus and reference in sim\/units\//);
    await expect(runCosim(args({ transactions: '0' }), io)).rejects.toThrow('--transactions "0" is invalid: must be an integer from 1 to 10000000');
    await expect(runCosim(args({ vcd: 'sometimes' }), io)).rejects.toThrow('--vcd "sometimes" is invalid: use always or on-failure');
    await expect(runCosim(args({ unit: 'all', set: ['lanes=2'] }), io)).rejects.toThrow('--config and --set need one unit');
    await expect(runCosim(args({ unit: 'depthwise', set: ['kernel=3', 'stride=2', 'padding=0', 'width=8', 'height=7'] }), io)).rejects.toThrow(
      /unit depthwise: config fields padding = 0, stride = 2 are invalid for co-simulation/,
    );
  });

  it('a perturbed expectation fails: seed, first mismatch, replay line and an existing VCD', async () => {
    const { lines, io } = capture();
    const ok = await runCosim(args({ transactions: '100', seed: '5' }), io, {
      perturbExpected: (_unit, expected) => expected.map((w, i) => (i === 37 ? w ^ 1n : w)),
    });
    expect(ok).toBe(false);
    const text = lines.join('\n');
    expect(text).toMatch(/^cosim quant_norm: FAIL$/m);
    expect(text).toMatch(/^ {2}seed +5$/m);
    expect(text).toMatch(/^ {2}failure +(pikehdl sim: )?coSimulate\(quant_norm config [0-9a-f]{12} seed 5, always ready\): .*1 of 100 outputs differ \(first mismatch at output 37\)$/m);
    expect(text).toMatch(/^ {15}output 37: expected 0x[0-9a-f]+, actual 0x[0-9a-f]+$/m);
    expect(text).toMatch(/^ {2}replay +npx tsx src\/cli\/main.ts cosim --unit quant_norm --transactions 100 --seed 5 --icarus 32$/m);
    const vcd = /^ {2}vcd +(\S+)$/m.exec(text)?.[1];
    expect(vcd).toBeDefined();
    const file = path.resolve(vcd!);
    expect(existsSync(file)).toBe(true);
    rmSync(file, { force: true });
  }, 120_000);
});
