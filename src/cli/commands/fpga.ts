// `pikehdl fpga`: the FPGA handoff of one unit (RTL, Yosys scripts, nextpnr
// command line, FuseSoC core, Makefile/run.sh, README) into build/fpga/<unit>/,
// written atomically; with --run, synthesis and place-and-route and a
// report.json. `--survey` synthesises the survey designs and prints the
// ACEv2-vs-LUT table of docs/fpga.md.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { REGISTRY, findGenerator } from '../../../hdl-gen/generators/index.ts';
import {
  DEFAULT_DEVICE,
  DEVICE_IDS,
  FpgaError,
  REPORT_FILE,
  WRAP_MODES,
  type WrapMode,
  parseDevice,
  parseFreq,
  prepareHandoff,
  runFlow,
  runSurvey,
  summaryLine,
  surveyTable,
  writeHandoff,
} from '../../fpga/index.ts';
import { CliError } from '../cliError.ts';
import { runFpgaModel } from './fpgaModel.ts';
import { ShapeError } from '../../arith/index.ts';
import { out } from '../io.ts';
import { collect, rawUnitConfig, readUserText } from '../unitConfig.ts';
import { GENERATED_BY_PREFIX, checkOutputDir, writeOutputFile } from '../../output/index.ts';

const DEFAULT_ROOT = path.join('build', 'fpga');

interface FpgaOptions {
  unit?: string;
  config?: string;
  set: string[];
  device: string;
  freq: string;
  out?: string;
  run?: boolean;
  wrap: string;
  portBits: string;
  pcf?: string;
  survey?: boolean;
  model?: string;
  dsp?: boolean;
  force?: boolean;
}

export function registerFpga(program: Command): void {
  program
    .command('fpga')
    .description(`FPGA handoff of one unit into ${DEFAULT_ROOT}/<unit>/ (RTL, Yosys, nextpnr, FuseSoC core, Makefile, README); --run synthesises and places it`)
    .option('--unit <name>', 'the unit (see pikehdl gen --list)')
    .option('--config <file>', 'JSON configuration (validated by the unit schema)')
    .option('--set <key=value>', 'override one config field (JSON value, else a string); repeatable', collect, [])
    .option('--device <id>', `target: ${DEVICE_IDS.join(' or ')}`, DEFAULT_DEVICE)
    .option('--freq <MHz>', 'target clock frequency for nextpnr', '50')
    .option('--out <dir>', `output directory (default ${DEFAULT_ROOT}/<unit>; with --survey the survey root)`)
    .option('--wrap <mode>', `serialising wrapper for place-and-route: ${WRAP_MODES.join(', ')} (auto: when the unit's ports exceed the package)`, 'auto')
    .option('--port-bits <n>', 'width of the wrapper\'s in_data/out_data', '8')
    .option('--pcf <file>', 'pin constraints to copy into the handoff (default: none, --pcf-allow-unconstrained)')
    .option('--run', 'run yosys and nextpnr-ice40 and write report.json')
    .option('--survey', 'synthesise the survey designs and print the ACEv2 vs LUT table (docs/fpga.md)')
    .option('--no-dsp', 'with --model: map multipliers to LUTs even on a device with DSP tiles')
    .option('--model <file|builtin>', 'the network accelerator for an integer network file or a built-in (mnist_tiny) instead of a unit; --set overrides its parameters')
    .option('--force', 'replace the output folder even if pikehdl did not write it (never a symlink, the current folder or one above it)')
    .action(async (opts: FpgaOptions) => {
      await runFpgaCommand(opts, (line) => out(`${line}\n`));
    });
}


export async function runFpgaCommand(opts: FpgaOptions, print: (line: string) => void): Promise<void> {
  try {
    await run(opts, print);
  } catch (e) {
    if (e instanceof FpgaError) throw new CliError(e.message);
    throw e;
  }
}

async function run(opts: FpgaOptions, print: (line: string) => void): Promise<void> {
  if (opts.model !== undefined) {
    if (opts.unit !== undefined || opts.survey === true || opts.config !== undefined) throw new FpgaError('--model cannot be combined with --unit, --config or --survey');
    await runFpgaModel({ ...opts, model: opts.model }, print);
    return;
  }
  const device = parseDevice(opts.device);
  if (opts.survey === true) {
    if (opts.unit !== undefined) throw new FpgaError('--survey synthesises its own list of designs: drop --unit');
    const root = opts.out ?? path.join(DEFAULT_ROOT, 'survey');
    // The survey root fills up design by design (each by the output rules);
    // claim it first with a manifest so that a later run recognises it.
    checkOutputDir(root, { force: opts.force === true });
    mkdirSync(root, { recursive: true });
    writeOutputFile(path.join(root, 'manifest.json'), `${JSON.stringify({ generatedBy: `${GENERATED_BY_PREFIX} fpga survey` }, null, 2)}\n`);
    const survey = await runSurvey(device, root, print);
    writeOutputFile(path.join(root, 'survey.json'), `${JSON.stringify(survey, null, 2)}\n`);
    print('');
    print(surveyTable(survey));
    return;
  }
  if (opts.unit === undefined) throw new FpgaError('--unit <name> is required (or --survey)');
  const gen = findGenerator(opts.unit);
  if (gen === undefined) throw new FpgaError(`--unit ${JSON.stringify(opts.unit)} is unknown: registered units are ${REGISTRY.map((g) => g.name).join(', ')}`);
  if (!(WRAP_MODES as readonly string[]).includes(opts.wrap)) throw new FpgaError(`--wrap ${JSON.stringify(opts.wrap)} is invalid: must be one of ${WRAP_MODES.join(', ')}`);
  const portBits = Number(opts.portBits);
  if (!/^[0-9]+$/.test(opts.portBits) || portBits < 1 || portBits > 64) throw new FpgaError(`--port-bits ${JSON.stringify(opts.portBits)} is invalid: must be an integer from 1 to 64`);
  const pcfText = opts.pcf === undefined ? null : readUserText('--pcf', opts.pcf);
  const outDir = opts.out ?? path.join(DEFAULT_ROOT, gen.name);
  checkOutputDir(outDir, { force: opts.force === true });
  const raw = rawUnitConfig(gen.defaultConfig, opts.config, opts.set);
  let handoff;
  try {
    handoff = prepareHandoff(gen, raw, { device, freqMhz: parseFreq(opts.freq), wrap: opts.wrap as WrapMode, portBits, pcfText });
  } catch (e) {
    // Name the file the configuration came from.
    if (e instanceof FpgaError && opts.config !== undefined) throw new FpgaError(`--config ${opts.config}: ${e.message}`);
    // Derived widths above the DSL's limit: the configuration's size (see gen.ts).
    if (e instanceof ShapeError) throw new FpgaError(`${opts.config === undefined ? '' : `--config ${opts.config}: `}unit ${gen.name}: this configuration needs a signal wider than the DSL allows (${e.message.replace(/^[a-z]+: /, '')}): make it smaller`);
    throw e;
  }
  const dir = await writeHandoff(handoff, outDir, { force: opts.force === true });
  const rel = path.relative(process.cwd(), dir) || '.';
  const v = handoff.view;
  print(`${gen.name}: FPGA handoff for ${v.device} -> ${rel}${v.wrapper === null ? '' : ` (placed behind ${v.wrapper.top}, ${v.wrapper.portBits}-bit ports)`}`);
  if (v.pnrSkip !== null) print(`${gen.name}: place-and-route skipped: ${v.pnrSkip}`);
  if (opts.run === true) {
    const report = await runFlow(v, dir);
    print(`${summaryLine(report)} -> ${path.join(rel, REPORT_FILE)}`);
  }
}
