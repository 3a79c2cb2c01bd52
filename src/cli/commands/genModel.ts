// `pikehdl gen --model <int.json|builtin> [--set key=value ...] [--out dir]`: the network
// accelerator for a network, with its hex images, files.f and manifest.json, and a
// one-paragraph summary. `pikehdl gen` without arguments also emits the default
// (mnist_tiny, trained, pikelpn recipe) beside the units, in the same atomic swap.
import path from 'node:path';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import type { OutputOptions } from '../../output/index.ts';
import { CliError } from '../cliError.ts';
import { setupAccelerator } from '../accel/accelSetup.ts';
import { acceleratorKit, writeAcceleratorKit, type AcceleratorKit } from '../accel/acceleratorKit.ts';
import { defaultModel } from '../accel/resolveModel.ts';

/** The default accelerator's folder name under the RTL root. */
/** The default accelerator's folder name under build/rtl/: accel_<the default model>. */
export const defaultAccelName = (): string => `accel_${defaultModel()}`;

export interface GenModelOptions {
  model?: string;
  set: string[];
  out?: string;
  romInit?: 'readmemh' | 'inline';
  force?: boolean;
}

/** Compiles the network and generates the kit in memory (nothing written). */
export function buildAcceleratorKit(spec: string, set: readonly string[], romInit: 'readmemh' | 'inline'): { kit: AcceleratorKit; network: string } {
  const { model, program } = setupAccelerator(spec, [...set]);
  try {
    return { kit: acceleratorKit(model, program, romInit), network: program.network };
  } catch (e) {
    if (e instanceof DslError) throw new CliError(e.message);
    throw e;
  }
}

export async function runGenModel(opts: GenModelOptions, print: (line: string) => void): Promise<void> {
  const { kit, network } = buildAcceleratorKit(opts.model ?? defaultModel(), opts.set, opts.romInit ?? 'readmemh');
  const dir = opts.out ?? (opts.model === undefined ? path.join('build', 'rtl', defaultAccelName()) : path.join('build', 'rtl', `accel_${network.replace(/[^A-Za-z0-9_]/g, '_')}`));
  const written = await writeAcceleratorKit(kit, dir, { force: opts.force === true } satisfies OutputOptions);
  print(`accelerator: ${written.files.length} files -> ${path.relative(process.cwd(), written.dir) || '.'}`);
  print(kit.summary);
}
