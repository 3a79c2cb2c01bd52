// `pikehdl gen --model`: an integer network file to the accelerator kit (Verilog, hex images,
// files.f, manifest with the accelerator section); a network the configuration cannot hold is
// refused with one line naming the layer and nothing is written.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGenModel } from '../../src/cli/commands/genModel.ts';
import { CliError } from '../../src/cli/cliError.ts';
import { mnistTinyInt } from './mnistModel.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-genmodel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pikehdl gen --model', () => {
  it('writes the kit for an integer network file with --set overrides', async () => {
    const file = path.join(root, 'mnist.int.json');
    writeFileSync(file, JSON.stringify(mnistTinyInt()));
    const out = path.join(root, 'kit');
    const lines: string[] = [];
    await runGenModel({ model: file, set: ['rows=4', 'cols=4'], out }, (l) => void lines.push(l));
    const files = readdirSync(out).sort();
    expect(files).toEqual(['files.f', 'manifest.json', 'pike_accel.v', 'pike_accel_params.hex', 'pike_accel_weights.hex']);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { accelerator: { parameters: { lanes: number }; ports: { name: string }[]; expectedCyclesPerInference: number; memories: { name: string }[] } };
    expect(m.accelerator.parameters.lanes).toBe(4);
    expect(m.accelerator.ports.map((p) => p.name)).toEqual(expect.arrayContaining(['in_data', 'out_data', 'busy', 'done']));
    expect(m.accelerator.expectedCyclesPerInference).toBeGreaterThan(8009);
    expect(lines[1]).toMatch(/^accelerator pike_accel for .*4x4 MAC array/);
  });

  it('refuses a configuration too small for the network, writing nothing', async () => {
    const out = path.join(root, 'refused');
    await expect(runGenModel({ model: 'mnist_tiny', set: ['actAddrBits=8'], out }, () => undefined)).rejects.toThrow(CliError);
    await expect(runGenModel({ model: 'mnist_tiny', set: ['actAddrBits=8'], out }, () => undefined)).rejects.toThrow(/layer "stem": activation RAM: .*actAddrBits >= 10, the accelerator has 8/);
    await expect(runGenModel({ model: 'mnist_tiny', set: ['depth=8'], out }, () => undefined)).rejects.toThrow(/--set depth: unknown accelerator parameter/);
    await expect(runGenModel({ model: 'mnist_tiny', set: ['rows=8', 'cols=4'], out }, () => undefined)).rejects.toThrow(/the MAC array is square/);
    expect(existsSync(out)).toBe(false);
  });
});
