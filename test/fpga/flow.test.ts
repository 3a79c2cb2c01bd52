// Real Yosys and nextpnr runs on small units. A missing tool fails the test
// with the install hint (apt-get install yosys / nextpnr-ice40): never a skip.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { NEXTPNR_LOG } from '../../src/fpga/commands.ts';
import { DEVICES, type DeviceId, prepareHandoff, requireFpgaTool, runFlow, summaryLine, writeHandoff } from '../../src/fpga/index.ts';

const root = mkdtempSync(path.join(tmpdir(), 'pikehdl-fpga-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function flow(unit: string, raw: Record<string, unknown>, device: DeviceId, wrap: 'auto' | 'always') {
  const gen = findGenerator(unit)!;
  const h = prepareHandoff(gen, raw, { device: DEVICES[device], freqMhz: 40, wrap, portBits: 4, pcfText: null });
  const dir = await writeHandoff(h, path.join(root, `${unit}-${device}`));
  return { h, dir, report: await runFlow(h.view, dir) };
}

describe('fpga flow with the real tools', () => {
  it('a missing tool is an error naming it and its apt package', async () => {
    await expect(requireFpgaTool('nextpnr-ice40', { ...process.env, PATH: path.join(root, 'no-such-dir') })).rejects.toThrow(
      'nextpnr-ice40 not found on PATH: install it with apt-get install nextpnr-ice40',
    );
    await expect(requireFpgaTool('yosys', { ...process.env, PATH: path.join(root, 'no-such-dir') })).rejects.toThrow('apt-get install yosys');
  });

  it('synth_ice40 and nextpnr-ice40 on a one-lane residual add: LUT4 > 0, Fmax > 0, report.json written', async () => {
    const { dir, report } = await flow('residual_add', { lanes: 1, aBits: 4, bBits: 4, scaleBits: 4, shift: 4, outBits: 4 }, 'hx8k-ct256', 'auto');
    expect(report.synth.lut4).toBeGreaterThan(0);
    expect(report.synth.dff).toBeGreaterThan(0);
    expect(report.synth.cellsByType.SB_LUT4).toBe(report.synth.lut4);
    if ('skipped' in report.pnr) throw new Error(`place-and-route skipped: ${report.pnr.skipped}`);
    expect(report.pnr.wrapped).toBe(false);
    expect(report.pnr.fmaxMhz).toBeGreaterThan(0);
    expect(report.pnr.targetMhz).toBe(40);
    expect(report.acev2PerTransaction).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(summaryLine(report)).toMatch(/^residual_add \(residual_add\) on hx8k-ct256: \d+ LUT4, \d+ DFF, \d+ SB_CARRY, 0 RAM, 0 DSP; Fmax [0-9.]+ MHz \(target 40 MHz/);
  });

  it('a caller\'s resource check skips place-and-route with its reason when synthesis exceeds the part (no nextpnr run)', async () => {
    const gen = findGenerator('residual_add')!;
    const h = prepareHandoff(gen, { lanes: 1, aBits: 4, bBits: 4, scaleBits: 4, shift: 4, outBits: 4 }, { device: DEVICES['hx8k-ct256'], freqMhz: 40, wrap: 'auto', portBits: 4, pcfText: null });
    const dir = await writeHandoff(h, path.join(root, 'skip-pnr'));
    let seen: number | undefined;
    const report = await runFlow(h.view, dir, { skipPnr: (c) => ((seen = c.lut4) > 0 ? `synthesis exceeds a 0-LUT part: ${c.lut4}/0 LUT4` : undefined) });
    expect(seen).toBe(report.synth.lut4);
    expect(report.pnr).toEqual({ skipped: `synthesis exceeds a 0-LUT part: ${report.synth.lut4}/0 LUT4` });
    expect(existsSync(path.join(dir, NEXTPNR_LOG))).toBe(false);
  });

  it('places a unit too wide for UP5K SG48 through the serialising wrapper, multipliers on SB_MAC16', async () => {
    const { h, report } = await flow('quant_norm', { lanes: 1, accBits: 8, multiplierBits: 4 }, 'up5k-sg48', 'auto');
    expect(h.view.corePins).toBeGreaterThan(39);
    expect(h.view.wrapper?.pins).toBe(14);
    if ('skipped' in report.pnr) throw new Error(`place-and-route skipped: ${report.pnr.skipped}`);
    expect(report.pnr.wrapped).toBe(true);
    expect(report.pnr.top).toBe(h.view.wrapper!.top);
    expect(report.pnr.fmaxMhz).toBeGreaterThan(0);
  });
});
