// `pikehdl fpga --model <file|builtin> [--set key=value ...] [--device ...] [--freq MHz] [--run]`:
// the FPGA handoff of the network accelerator (the unit flow of src/fpga with the accelerator as
// its design, plus a Vivado project script and XDC), and with --run: LUT, FF, RAM, DSP, Fmax,
// whether it fits the device, and inferences per second at Fmax.
import path from 'node:path';
import { programPerformance } from '../../accel/index.ts';
import type { Generator } from '../../../hdl-gen/generators/index.ts';
import { generateAccelerator } from '../../../hdl-gen/accel/index.ts';
import type { JsonValue } from '../../../hdl-gen/dsl/index.ts';
import { CAPACITY, type Capacity, type DeviceFit, exceeds } from '../../fpga/deviceFit.ts';
import type { DeviceId } from '../../fpga/devices.ts';
import { REPORT_FILE, type WrapMode, parseDevice, parseFreq, prepareHandoff, runFlow, summaryLine, writeHandoff } from '../../fpga/index.ts';
import { setupAccelerator } from '../accel/accelSetup.ts';
import { vivadoFiles } from '../accel/vivadoKit.ts';
import { ACCEL_TOP } from '../accel/acceleratorKit.ts';
import { runFpgaAxi } from './fpgaAxi.ts';

/** What `--run` measured of the on-chip accelerator on a device. */
export interface AcceleratorFit extends DeviceFit {
  readonly device: DeviceId;
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
  const cap = CAPACITY[device.id];
  const over = (c: Capacity): string | undefined => exceeds(device.id, c);
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
