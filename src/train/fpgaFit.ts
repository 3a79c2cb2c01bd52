/**
 * Measures whether each shipped family model's accelerator fits the default
 * FPGA target, for the accelerator's default choice (accelDefault.ts):
 *
 *   npx tsx src/train/fpgaFit.ts [--set lanes=1]
 *
 * Runs the `fpga --model <name> --run` flow (Yosys synth_ice40; nextpnr-ice40
 * when synthesis fits the device's LUT4, RAM4K and DSP counts) per shipped
 * model into build/fpga/fit_<name>/ (a folder pikehdl wrote is replaced; any other is refused,
 * as for every output), and writes
 * src/networks/trained/mnist_sep.fpga-fit.json. lanes=1 by default: the
 * default 8-lane array fits no iCE40 part (docs/architecture.md, "FPGA").
 * Takes a few minutes per model.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEVICE } from '../fpga/index.ts';
import { runFpgaModel } from '../cli/commands/fpgaModel.ts';
import { FPGA_FIT_FILE, SHIPPED_MANIFEST_FILE, parseShippedManifest, type FpgaFitEntry, type FpgaFitFile } from './accelDefault.ts';
import { writeAtomic } from './familyConfig.ts';

async function main(args: readonly string[]): Promise<number> {
  const set: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--set' || args[i + 1] === undefined || args[i + 1]!.startsWith('--')) {
      console.error(`fpgaFit: "${args[i]}": the only option is --set key=value`);
      return 2;
    }
    set.push(args[++i]!);
  }
  if (set.length === 0) set.push('lanes=1');
  const manifest = parseShippedManifest(readFileSync(SHIPPED_MANIFEST_FILE, 'utf8'));
  const models: FpgaFitEntry[] = [];
  for (const m of manifest.models) {
    const t0 = performance.now();
    const fit = await runFpgaModel({ model: m.network, set, device: DEFAULT_DEVICE, freq: '50', out: join('build', 'fpga', `fit_${m.network}`), run: true, wrap: 'auto', portBits: '8' }, (l) => console.log(l));
    if (fit === undefined) throw new Error(`fpgaFit: ${m.network}: no fit measured (an AXI build?)`);
    console.log(`fpgaFit: ${m.network}: ${fit.fits ? 'fits' : 'does not fit'} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    const { device: _device, ...measured } = fit;
    models.push({ network: m.network, sha256: m.sha256, set, ...measured });
  }
  // (nextpnr prints its version on stderr.)
  const version = (argv: string[]): string => {
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    if (r.error !== undefined) throw new Error(`${argv[0]} did not run (${r.error.message}): the fit was measured with it, so it is on PATH`);
    return `${r.stdout}${r.stderr}`.trim().split('\n')[0]!.trim();
  };
  const out: FpgaFitFile = {
    format: 'pikehdl-fpga-fit', version: 1, device: DEFAULT_DEVICE,
    command: `npx tsx src/train/fpgaFit.ts${set.map((s) => ` --set ${s}`).join('')}`,
    tools: `${version(['yosys', '-V'])}; ${version(['nextpnr-ice40', '--version'])}`,
    models,
  };
  writeAtomic(FPGA_FIT_FILE, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`fpgaFit: wrote ${FPGA_FIT_FILE}`);
  return 0;
}

main(process.argv.slice(2)).then((c) => (process.exitCode = c), (e: unknown) => {
  console.error(`fpgaFit: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});
