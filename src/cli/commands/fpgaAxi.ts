// `pikehdl fpga --model <m> --set memory=axi`: the AXI build's handoff for a Vivado block design:
// the Verilog (s_axil_* and m_axi_* follow Vivado's interface inference names), the C register
// header, the manifest with the memory map, and a Vivado project script with an XDC clock. The
// iCE40 flow is not offered: the AXI ports alone exceed the iCE40 packages' I/O.
import path from 'node:path';
import type { AccelProgram } from '../../accel/index.ts';
import { writeOutputDir } from '../../output/index.ts';
import { parseFreq } from '../../fpga/index.ts';
import { CliError } from '../cliError.ts';
import { kitFiles } from '../accel/acceleratorKit.ts';
import { axiAcceleratorKit } from '../accel/axiKit.ts';
import type { ResolvedModel } from '../accel/resolveModel.ts';
import { vivadoFiles } from '../accel/vivadoKit.ts';

export async function runFpgaAxi(model: ResolvedModel, program: AccelProgram, opts: { freq: string; out?: string; run?: boolean; force?: boolean }, print: (line: string) => void): Promise<void> {
  if (opts.run === true) throw new CliError('fpga --run: the AXI build (memory=axi) has no iCE40 flow (its AXI ports exceed the package I/O); run the Vivado project script it writes instead');
  const freqMhz = parseFreq(opts.freq);
  const kit = axiAcceleratorKit(model, program);
  const files = kitFiles(kit);
  const vivado = vivadoFiles({ top: 'pike_accel', sources: kit.design.sources.map((s) => s.name), memFiles: [], freqMhz, part: 'xc7a35ticsg324-1L' });
  const dir = opts.out ?? path.join('build', 'fpga', `accel_axi_${program.network.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const written = await writeOutputDir(dir, (w) => {
    for (const f of [...files, ...vivado]) w.file(f.name, f.text);
  }, { force: opts.force === true });
  print(`accelerator (${model.label}), AXI build: Vivado handoff (Verilog, pike_accel_regs.h, manifest with the memory map, vivado.tcl, accel.xdc) -> ${path.relative(process.cwd(), written) || '.'}`);
  print(kit.summary);
}
