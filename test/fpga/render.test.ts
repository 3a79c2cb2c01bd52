// The handoff's files are a pure function of the view-model: rendering the
// same input twice gives byte-identical files, and the files say what the
// flow runs.
import { describe, expect, it } from 'vitest';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { DEVICES, type FpgaView, flowCommands, prepareHandoff, renderHandoff } from '../../src/fpga/index.ts';

function prepare(unit: string, set: Record<string, unknown>, device: keyof typeof DEVICES, wrap: 'auto' | 'always' | 'never' = 'auto') {
  const gen = findGenerator(unit)!;
  return prepareHandoff(gen, { ...(gen.defaultConfig as Record<string, unknown>), ...set }, { device: DEVICES[device], freqMhz: 48, wrap, portBits: 8, pcfText: null });
}

describe('fpga handoff rendering', () => {
  it('renders byte-identical files for the same input', () => {
    const a = prepare('requantizer', {}, 'hx8k-ct256');
    const b = prepare('requantizer', {}, 'hx8k-ct256');
    expect(b.files).toEqual(a.files);
    expect(renderHandoff(structuredClone(a.view) as FpgaView)).toEqual(a.files);
    expect(b.design.sources).toEqual(a.design.sources);
  });

  it('prints the commands the runner executes', () => {
    const h = prepare('requantizer', {}, 'hx8k-ct256');
    const file = (n: string): string => h.files.find((f) => f.name === n)!.text;
    const cmds = flowCommands(h.view);
    // 4 lanes: 192 + 32 data bits do not fit 206 I/O, so placement goes through the wrapper.
    expect(h.view.wrapper).toMatchObject({ top: 'requantizer_dq_ser', portBits: 8, inBeats: 24, outBeats: 4, pins: 22 });
    expect(file('synth.ys')).toContain('synth_ice40 -top requantizer_dq -json requantizer_dq.json\n');
    expect(file('synth.ys')).toContain('tee -q -o requantizer_dq_stat.json stat -json\n');
    expect(file('synth_generic.ys')).toContain('synth -top requantizer_dq\n');
    expect(file('synth_pnr.ys')).toContain('synth_ice40 -top requantizer_dq_ser -json requantizer_dq_ser.json\n');
    expect(cmds.nextpnr).toEqual(expect.arrayContaining(['--hx8k', '--package', 'ct256', '--freq', '48', '--timing-allow-fail', '--pcf-allow-unconstrained']));
    for (const name of ['run.sh', 'Makefile', 'README.md']) {
      expect(file(name)).toContain(cmds.yosys.join(' '));
      expect(file(name)).toContain(cmds.nextpnr!.join(' '));
    }
    const core = file('requantizer.core');
    expect(core.startsWith('CAPI=2:\n')).toBe(true);
    expect(core).toContain('name: pikehdl:units:requantizer:0.1.0\n');
    expect(core).toMatch(/lint:\n {4}default_tool: verilator/);
    expect(core).toMatch(/sim:\n {4}default_tool: icarus/);
    expect(core).toMatch(/synth:\n {4}default_tool: icestorm\n {4}filesets: \[rtl\]\n {4}toplevel: requantizer_dq_ser/);
    expect(h.files.find((f) => f.name === 'run.sh')!.executable).toBe(true);
  });

  it('maps multipliers to DSPs on UP5K and skips place-and-route, saying why, when told not to wrap', () => {
    const h = prepare('residual_add', {}, 'up5k-sg48', 'never');
    expect(h.view.dsp).toBe(true);
    expect(h.files.find((f) => f.name === 'synth.ys')!.text).toContain('synth_ice40 -top residual_add -dsp -json residual_add.json');
    expect(h.view.pnrSkip).toMatch(/needs 166 pins .* up5k-sg48 has 39 user I\/O/);
    expect(flowCommands(h.view).nextpnr).toBeNull();
    expect(h.files.find((f) => f.name === 'run.sh')!.text).toContain('echo "place-and-route skipped: the unit needs 166 pins');
  });

  it('places a unit that fits without a wrapper', () => {
    const h = prepare('residual_add', { lanes: 1 }, 'hx8k-ct256');
    expect(h.view.wrapper).toBeNull();
    expect(h.view.pnrTop).toBe('residual_add');
    expect(h.files.map((f) => f.name)).not.toContain('synth_pnr.ys');
  });
});
