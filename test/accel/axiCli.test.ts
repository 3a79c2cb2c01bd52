// The AXI build through the commands: `gen --model ... --set memory=axi` (Verilog, the C register
// header from the one register table, manifest with the memory map), `cosim --model ... --set
// memory=axi` with memory flags (its --set values give exactly the configuration axi.test.ts
// verilates, so the build is shared: same hash), `fpga ... --run` refused, and bad flags refused
// in one line naming the flag.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AXI_REGISTERS } from '../../src/accel/index.ts';
import { runGenModel } from '../../src/cli/commands/genModel.ts';
import { runCosimModel } from '../../src/cli/commands/cosimModel.ts';
import { runFpgaModel } from '../../src/cli/commands/fpgaModel.ts';
import { CliError } from '../../src/cli/cliError.ts';
import { AXI_TEST_CONFIG } from './axiTestConfig.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-axicli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SETS = Object.entries(AXI_TEST_CONFIG).filter(([k]) => k !== 'loadable').map(([k, v]) => `${k}=${String(v)}`);

function sink(): { lines: string[]; io: Parameters<typeof runCosimModel>[1] } {
  const lines: string[] = [];
  const err = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { lines, io: { out: (l: string) => void lines.push(l), err } };
}

describe('docs: the register map table', () => {
  it('docs/architecture.md lists exactly the registers of src/accel/axiRegisters.ts', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `0x([0-9a-f]{2})` \| ([A-Z_]+) \| (rw|r|w1c) \| (.*) \|$/gm)].map((m) => ({ offset: parseInt(m[1]!, 16), name: m[2], access: m[3], description: m[4] }));
    expect(rows).toEqual(AXI_REGISTERS.map((r) => ({ offset: r.offset, name: r.name, access: r.access, description: r.description })));
  });
});

describe('pikehdl gen / cosim / fpga with --set memory=axi', () => {
  it('gen writes the Verilog, the C register header and a manifest with the memory map', async () => {
    const out = path.join(root, 'kit');
    const lines: string[] = [];
    await runGenModel({ model: 'mnist_tiny', set: ['memory=axi'], out }, (l) => void lines.push(l));
    expect(readdirSync(out).sort()).toEqual(['files.f', 'manifest.json', 'pike_accel.v', 'pike_accel_regs.h']);
    const h = readFileSync(path.join(out, 'pike_accel_regs.h'), 'utf8');
    for (const r of AXI_REGISTERS) expect(h).toMatch(new RegExp(`#define PIKE_ACCEL_${r.name} +0x${r.offset.toString(16).toUpperCase().padStart(2, '0')}u`));
    const v = readFileSync(path.join(out, 'pike_accel.v'), 'utf8');
    for (const p of ['s_axil_awaddr', 's_axil_rdata', 'm_axi_araddr', 'm_axi_arlen', 'm_axi_wstrb', 'm_axi_wlast', 'm_axi_bresp', 'irq']) expect(v).toContain(p);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { accelerator: { build: string; memoryMap: { name: string; access: string }[] } };
    expect(m.accelerator.build).toBe('axi');
    expect(m.accelerator.memoryMap.map((r) => `${r.name}:${r.access}`)).toEqual(['program:read', 'weights:read', 'params:read', 'input:read', 'output:write']);
    expect(lines[1]).toMatch(/AXI build.*bytes read/);
  });

  it('gen with an activation RAM smaller than the live tensors makes a spill build: the memory map gains the activation region', async () => {
    const out = path.join(root, 'spill');
    await runGenModel({ model: 'mnist_tiny', set: ['memory=axi', 'actAddrBits=9'], out }, () => undefined);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { accelerator: { memoryMap: { name: string; access: string }[] } };
    expect(m.accelerator.memoryMap.map((r) => `${r.name}:${r.access}`)).toEqual(['program:read', 'weights:read', 'params:read', 'input:read', 'output:write', 'acts:rw']);
    expect(readFileSync(path.join(out, 'pike_accel.v'), 'utf8')).toContain('"spill":true');
  });

  it('cosim runs the AXI build at a slow memory and reports compared outputs, stalls and bytes', async () => {
    const { lines, io } = sink();
    const ok = await runCosimModel({ model: 'mnist_tiny', images: '2', start: '0', set: SETS, seed: '1', memLatency: '40', memBandwidth: '2' }, io);
    const text = lines.join('\n');
    expect(ok).toBe(true);
    expect(text).toMatch(/2 held-out digits, 20 outputs compared/);
    expect(text).toMatch(/cycles per inference: \d+, \d\.\d{3}x the ideal 6400 \(compute 8009 = the cycle model, stall \d+ waiting for memory, output write \d+\)/);
    expect(text).not.toMatch(/spilled/);
    expect(text).toMatch(/bytes per inference: \d+ read, \d+ written \(= traffic model = memory model's count\)/);
    expect(text).toMatch(/result: bit-exact/);
  }, 300_000);

  it('a failing AXI cosim names the first difference, writes the VCD of that inference and prints the replay command', async () => {
    const { lines, io } = sink();
    const ok = await runCosimModel({ model: 'mnist_tiny', images: '2', start: '0', set: SETS, seed: '1', memLatency: '3', memStall: '20' }, io, {
      perturbReference: (i, _layer, t) => {
        if (i === 1) t[3]! += 1;
        return t;
      },
    });
    const text = lines.join('\n');
    expect(ok).toBe(false);
    expect(text).toMatch(/FAILED: image 1, output 3: RTL -?\d+, runInt -?\d+/);
    const vcd = /VCD of that inference: (\S+-axi-image1\.vcd)/.exec(text)?.[1];
    expect(vcd).toBeDefined();
    const wave = readFileSync(vcd!, 'utf8');
    expect(wave).toMatch(/\$var wire +1 \S+ m_axi_rvalid/);
    // The whole inference is in it: its last time stamp (half cycles) is past twice the compute cycles.
    const cycles = Number(/compute (\d+) = the cycle model/.exec(text)?.[1]);
    expect(Number([...wave.matchAll(/^#(\d+)$/gm)].pop()?.[1])).toBeGreaterThan(2 * cycles);
    expect(text).toMatch(/replay: npm run pikehdl -- cosim --model mnist_tiny --start 1 --images 1 --set .* --mem-latency 3 --mem-stall 20 --seed 1$/m);
    rmSync(vcd!, { force: true });
  }, 300_000);

  it('refuses bad memory flags and fpga --run in one line', async () => {
    const { io } = sink();
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: SETS, seed: '1', memLatency: '0' }, io)).rejects.toThrow(/^--mem-latency 0: must be an integer from 1 to 100000 cycles$/);
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: SETS, seed: '1', memBandwidth: 'fast' }, io)).rejects.toThrow(CliError);
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: ['memory=dram'], seed: '1' }, io)).rejects.toThrow(/memory: must be "onchip" or "axi"/);
    // A memory flag without the AXI build would be ignored: refused instead.
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: [], seed: '1', memStall: '5' }, io)).rejects.toThrow(/^--mem-stall applies to the AXI build only: add --set memory=axi$/);
    // --accel-build chooses between the on-chip builds; on the AXI build it would be ignored: refused.
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: SETS, seed: '1', build: 'rom' }, io)).rejects.toThrow(/^--accel-build rom applies to the on-chip builds \(memory=onchip\) only/);
    await expect(runCosimModel({ model: 'mnist_tiny', images: '1', set: ['memory=axi', 'weightAddrBits=4'], seed: '1' }, io)).rejects.toThrow(/weight buffer: cannot be tiled into the configured buffers/);
    const out = path.join(root, 'fpga');
    await expect(runFpgaModel({ model: 'mnist_tiny', set: ['memory=axi'], device: 'hx8k-ct256', freq: '50', out, run: true, wrap: 'auto', portBits: '8' }, () => undefined)).rejects.toThrow(/no iCE40 flow/);
    expect(existsSync(out)).toBe(false);
  });
});
