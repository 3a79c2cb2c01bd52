// `pikehdl fpga --model <file|builtin> [--set key=value ...] [--device ...] [--freq MHz] [--run]`:
// the FPGA handoff of the network accelerator (the unit flow of src/fpga with the accelerator as
// its design, plus a Vivado project script and XDC), and with --run: LUT, FF, RAM, DSP, Fmax,
// whether it fits the device, and inferences per second at Fmax.
import path from 'node:path';
import { programPerformance } from '../../accel/index.ts';
import type { Generator } from '../../../hdl-gen/generators/index.ts';
import { generateAccelerator } from '../../../hdl-gen/accel/index.ts';
import type { JsonValue } from '../../../hdl-gen/dsl/index.ts';
import { REPORT_FILE, type WrapMode, parseDevice, parseFreq, prepareHandoff, runFlow, summaryLine, writeHandoff } from '../../fpga/index.ts';
import { setupAccelerator } from '../accel/accelSetup.ts';
import { vivadoFiles } from '../accel/vivadoKit.ts';
import { ACCEL_TOP } from '../accel/acceleratorKit.ts';
import { runFpgaAxi } from './fpgaAxi.ts';

/** iCE40 resources per device (LUT4, RAM4K blocks, SPRAM, DSP) for the "fits?" line. */
const CAPACITY: Readonly<Record<string, { lut4: number; ram: number; dsp: number }>> = {
  'hx8k-ct256': { lut4: 7680, ram: 32, dsp: 0 },
  'up5k-sg48': { lut4: 5280, ram: 30, dsp: 8 },
};

/** What `--run` measured of the on-chip accelerator on a device: cells against its capacity, and Fmax when it placed. */
export interface AcceleratorFit {
  readonly device: string;
  readonly lut4: number;
  readonly ram: number;
  readonly dsp: number;
  readonly dff: number;
  readonly capacity: { readonly lut4: number; readonly ram: number; readonly dsp: number };
  readonly fits: boolean;
  readonly fmaxMhz: number | null;
  readonly inferencesPerSecond: number | null;
}

export async function runFpgaModel(
  opts: { model: string; set: string[]; device: string; freq: string; out?: string; run?: boolean; wrap: string; portBits: string; dsp?: boolean; force?: boolean },
  print: (line: string) => void,
): Promise<AcceleratorFit | undefined> {
  const { model, program } = setupAccelerator(opts.model, opts.set);
  if (program.config.memory === 'axi') {
    await runFpgaAxi(model, program, opts, print);
    return undefined;
  }
  // --no-dsp: multipliers in LUTs (the UP5K has 8 SB_MAC16; see docs/architecture.md for why the accelerator's multipliers take more).
  const device = opts.dsp === false ? { ...parseDevice(opts.device), dsp: false } : parseDevice(opts.device);
  const freqMhz = parseFreq(opts.freq);
  const gen: Generator = {
    name: 'accelerator',
    description: `network accelerator for ${program.network}`,
    defaultConfig: {},
    lintPoints: [],
    parse: (): JsonValue => ({ network: program.network, ...program.config }),
    build: () => generateAccelerator(program, ACCEL_TOP),
  };
  const handoff = prepareHandoff(gen, {}, { device, freqMhz, wrap: opts.wrap as WrapMode, portBits: Number(opts.portBits), pcfText: null });
  const vivado = vivadoFiles({ top: ACCEL_TOP, sources: handoff.design.sources.map((s) => s.name), memFiles: handoff.design.files.map((f) => f.name), freqMhz, part: 'xc7a35ticsg324-1L' });
  const dir = await writeHandoff({ ...handoff, files: [...handoff.files, ...vivado] }, opts.out ?? path.join('build', 'fpga', `accel_${program.network.replace(/[^A-Za-z0-9_]/g, '_')}`), { force: opts.force === true });
  const rel = path.relative(process.cwd(), dir) || '.';
  print(`accelerator (${model.label}): FPGA handoff for ${device.id} with a Vivado project script -> ${rel}`);
  if (opts.run !== true) return undefined;
  const cap = CAPACITY[device.id]!;
  const over = (c: { lut4: number; ram: number; dsp: number }): string | undefined => {
    const excess = [c.lut4 > cap.lut4 ? `${c.lut4}/${cap.lut4} LUT4` : '', c.ram > cap.ram ? `${c.ram}/${cap.ram} RAM4K` : '', c.dsp > cap.dsp ? `${c.dsp}/${cap.dsp} DSP` : ''].filter((x) => x !== '');
    return excess.length === 0 ? undefined : `synthesis exceeds ${device.id}: ${excess.join(', ')}`;
  };
  const report = await runFlow(handoff.view, dir, { skipPnr: over });
  print(`${summaryLine(report)} -> ${path.join(rel, REPORT_FILE)}`);
  const s = report.synth;
  // LUT4 counts before packing: nextpnr can still fail on a design under the count (it then errors out above).
  const fits = over(s) === undefined;
  const perf = programPerformance(program);
  const frame = perf.cycles + program.input.height * program.input.width * program.input.channels + 2 * program.outputBeats;
  const fmax = 'skipped' in report.pnr ? null : report.pnr.fmaxMhz;
  print(`  fits ${device.id}: ${fits ? 'yes' : 'no'} (${s.lut4}/${cap.lut4} LUT4, ${s.ram}/${cap.ram} RAM4K, ${s.dsp}/${cap.dsp} DSP, ${s.dff} DFF)`);
  const ips = fmax === null ? null : Math.floor((fmax * 1e6) / frame);
  if (fmax !== null) print(`  inferences per second at Fmax ${fmax.toFixed(1)} MHz: ${ips} (${frame} cycles per inference with input and output)`);
  return { device: device.id, lut4: s.lut4, ram: s.ram, dsp: s.dsp, dff: s.dff, capacity: cap, fits, fmaxMhz: fmax, inferencesPerSecond: ips };
}
