// `pikehdl report --accel`: the performance report and roofline per network into a folder; bad input
// (an unknown model, a bad clock, a configuration too small) is one line and nothing is written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAccelReport } from '../../src/cli/commands/reportAccel.ts';
import { CliError } from '../../src/cli/cliError.ts';
import type { AccelPerfReport } from '../../src/accel/perfReport.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-reportaccel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pikehdl report --accel', () => {
  it('writes JSON, Markdown and a roofline SVG per network, deterministically', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    for (const out of [a, b]) await runAccelReport({ model: 'mnist_tiny', set: ['lanes=4'], out, clockMhz: '100' }, () => undefined);
    expect(readdirSync(a).sort()).toEqual(['manifest.json', 'mnist_tiny-roofline.svg', 'mnist_tiny.json', 'mnist_tiny.md']);
    for (const f of readdirSync(a)) expect(readFileSync(path.join(b, f), 'utf8'), f).toBe(readFileSync(path.join(a, f), 'utf8'));
    const { report } = JSON.parse(readFileSync(path.join(a, 'mnist_tiny.json'), 'utf8')) as { report: AccelPerfReport };
    expect(report.clockMHz).toBe(100);
    expect(report.inferencesPerSecond).toBe(100e6 / report.cycles);
    expect(report.acev2?.fromActivity).toBe(report.acev2?.analytic);
    const svg = readFileSync(path.join(a, 'mnist_tiny-roofline.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('roofline on the 4x4 accelerator');
    expect(svg).toContain('in the on-chip build (weights resident)');
  });

  it('refuses two models that would write files of one name, before compiling and writing anything', async () => {
    const out = path.join(root, 'clash');
    for (const model of ['mnist_tiny,mnist_tiny', 'a/manifest.json']) {
      await expect(runAccelReport({ model, set: [], out }, () => undefined)).rejects.toThrow(CliError);
      await expect(runAccelReport({ model, set: [], out }, () => undefined)).rejects.toThrow(/would both write/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('on the AXI build with spilled activations: one row per layer (its row bands added), the AXI traffic with the activations, intermediates in the minimum', async () => {
    const out = path.join(root, 'spill');
    await runAccelReport({ model: 'mnist_tiny', set: ['memory=axi', 'actAddrBits=9'], out }, () => undefined);
    const { report } = JSON.parse(readFileSync(path.join(out, 'mnist_tiny.json'), 'utf8')) as { report: AccelPerfReport };
    const plain = path.join(root, 'plain');
    await runAccelReport({ model: 'mnist_tiny', set: ['memory=axi'], out: plain }, () => undefined);
    const { report: fits } = JSON.parse(readFileSync(path.join(plain, 'mnist_tiny.json'), 'utf8')) as { report: AccelPerfReport };
    expect(report.layers.map((l) => l.name)).toEqual(fits.layers.map((l) => l.name));
    expect(report.macs).toBe(fits.macs);
    expect(report.traffic.intermediatesLeaveChip).toBe(true);
    expect(fits.traffic.intermediatesLeaveChip).toBe(false);
    expect(report.traffic.minimumBytes).toBeGreaterThan(fits.traffic.minimumBytes);
    expect(report.traffic.axi!.bytesWritten).toBeGreaterThan(fits.traffic.axi!.bytesWritten);
    expect(report.acev2?.fromActivity).toBe(report.acev2?.analytic);
    expect(readFileSync(path.join(out, 'mnist_tiny.md'), 'utf8')).toMatch(/this AXI build moves .* read and .* written per inference/);
    // The roofline says what its filled points are on each build.
    expect(readFileSync(path.join(out, 'mnist_tiny-roofline.svg'), 'utf8')).toContain('by this AXI build');
    expect(readFileSync(path.join(out, 'mnist_tiny-roofline.svg'), 'utf8')).not.toContain('in the on-chip build');
  });

  it('refuses bad input with one line and writes nothing', async () => {
    const out = path.join(root, 'refused');
    await expect(runAccelReport({ model: 'no_such_net', set: [], out }, () => undefined)).rejects.toThrow(CliError);
    await expect(runAccelReport({ model: 'mnist_tiny', set: [], out, clockMhz: '-3' }, () => undefined)).rejects.toThrow(/--clock-mhz "-3" is invalid/);
    await expect(runAccelReport({ model: 'mnist_tiny', set: ['actAddrBits=8'], out }, () => undefined)).rejects.toThrow(/activation RAM: .*actAddrBits >= 10/);
    expect(existsSync(out)).toBe(false);
    // A folder of the user's is refused before any compile.
    const mine = path.join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'notes.txt'), 'mine');
    await expect(runAccelReport({ model: 'mnist_tiny', set: [], out: mine }, () => undefined)).rejects.toThrow(/mine/);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
  });
});
