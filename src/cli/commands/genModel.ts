// `pikehdl gen --model <int.json|builtin> [--set key=value ...] [--out dir]`: the network
// accelerator for a network, with its hex images, files.f and manifest.json, and a
// one-paragraph summary. `pikehdl gen` without arguments also emits the default
// (mnist_tiny, trained, pikelpn recipe) into build/rtl/accel_mnist_tiny/.
import path from 'node:path';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import { CliError } from '../cliError.ts';
import { setupAccelerator } from '../accel/accelSetup.ts';
import { acceleratorKit, writeAcceleratorKit } from '../accel/acceleratorKit.ts';
import { DEFAULT_MODEL } from '../accel/resolveModel.ts';

export const DEFAULT_ACCEL_DIR = path.join('build', 'rtl', `accel_${DEFAULT_MODEL}`);

export async function runGenModel(opts: { model?: string; set: string[]; out?: string; romInit?: 'readmemh' | 'inline' }, print: (line: string) => void): Promise<void> {
  const spec = opts.model ?? DEFAULT_MODEL;
  const { model, program } = setupAccelerator(spec, opts.set);
  let kit;
  try {
    kit = acceleratorKit(model, program, opts.romInit ?? 'readmemh');
  } catch (e) {
    if (e instanceof DslError) throw new CliError(e.message);
    throw e;
  }
  const dir = opts.out ?? (opts.model === undefined ? DEFAULT_ACCEL_DIR : path.join('build', 'rtl', `accel_${program.network.replace(/[^A-Za-z0-9_]/g, '_')}`));
  const written = await writeAcceleratorKit(kit, dir);
  print(`accelerator: ${written.files.length} files -> ${path.relative(process.cwd(), written.dir) || '.'}`);
  print(kit.summary);
}
