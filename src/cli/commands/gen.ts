// `pikehdl gen`: emit Verilog from the generator registry.
//   pikehdl gen                      every unit's default into build/rtl/<unit>/
//   pikehdl gen --unit <name> [--config file.json] [--set key=value ...] [--out dir]
//   pikehdl gen --list               the registered units
//   pikehdl gen --model <int.json|builtin> [--set k=v]   the network accelerator (genModel.ts)
// Without --unit or --model the default accelerator (the default model: src/train/accelDefault.ts)
// is emitted too, into build/rtl/accel_<model>/, in the same swap as the units.
// Configs are validated by the unit's schema; every design is generated in
// memory before anything is written, and the output goes through the output
// rules (src/output): only into an absent, empty or pikehdl-written folder
// (or --force), swapped in atomically; without --unit every unit is written
// into one temporary folder and swapped in once, so an error (a full disk
// included) never leaves some units new and others old.
import path from 'node:path';
import type { Command } from 'commander';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import { ShapeError } from '../../arith/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/index.ts';
import type { EmittedDesign } from '../../../hdl-gen/emit/index.ts';
import { ConfigError, REGISTRY, findGenerator } from '../../../hdl-gen/generators/index.ts';
import type { Generator } from '../../../hdl-gen/generators/index.ts';
import { writeDesign, writeDesignSet } from '../../../hdl-gen/write/index.ts';
import { checkOutputDir } from '../../output/index.ts';
import { CliError } from '../cliError.ts';
import { out } from '../io.ts';
import { collect, rawUnitConfig } from '../unitConfig.ts';
import { kitFiles } from '../accel/acceleratorKit.ts';
import { defaultModel, defaultModelReason } from '../accel/resolveModel.ts';
import { buildAcceleratorKit, defaultAccelName, runGenModel } from './genModel.ts';

const DEFAULT_ROOT = path.join('build', 'rtl');

interface GenOptions {
  unit?: string;
  config?: string;
  set: string[];
  out?: string;
  list?: boolean;
  romInit: string;
  force?: boolean;
  model?: string;
}

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('emit Verilog for registered units (default: every unit with its default config into build/rtl/<unit>/)')
    .option('--unit <name>', 'emit one unit')
    .option('--config <file>', 'JSON configuration for --unit (validated by the unit schema)')
    .option('--set <key=value>', 'override one config field (value parsed as JSON, else taken as a string); repeatable', collect, [])
    .option('--out <dir>', `output directory (with --unit: default ${DEFAULT_ROOT}/<unit>; without: the root, default ${DEFAULT_ROOT})`)
    .option('--rom-init <how>', 'ROM contents: readmemh (hex file next to the sources) or inline', 'readmemh')
    .option('--list', 'list the registered units and exit')
    .option('--model <file|builtin>', 'emit the network accelerator for an integer network file or a built-in (mnist_tiny, the shipped mnist_sep_w0p5/w1/w2, the synthetic full-size networks); without it, npm run gen emits the default model; --set overrides its parameters')
    .option('--force', 'replace the output folder even if pikehdl did not write it (never a symlink, the current folder or one above it)')
    .action(async (opts: GenOptions) => {
      await runGen(opts, (line) => out(`${line}\n`));
    });
}


export async function runGen(opts: GenOptions, print: (line: string) => void): Promise<void> {
  if (opts.list) {
    for (const g of REGISTRY) print(`${g.name}: ${g.description}`);
    return;
  }
  if (opts.romInit !== 'readmemh' && opts.romInit !== 'inline') {
    throw new CliError(`--rom-init ${JSON.stringify(opts.romInit)} is invalid: use readmemh or inline`);
  }
  const romInit = opts.romInit;
  const force = { force: opts.force === true };
  if (opts.model !== undefined) {
    if (opts.unit !== undefined || opts.config !== undefined) throw new CliError('--model cannot be combined with --unit or --config');
    await runGenModel({ model: opts.model, set: opts.set, romInit, force: force.force, ...(opts.out !== undefined ? { out: opts.out } : {}) }, print);
    return;
  }
  let jobs: { gen: Generator; raw: unknown }[];
  let dir: string;
  if (opts.unit === undefined) {
    if (opts.config !== undefined || opts.set.length > 0) throw new CliError('--config and --set need --unit <name>');
    dir = opts.out ?? DEFAULT_ROOT;
    jobs = REGISTRY.map((gen) => ({ gen, raw: gen.defaultConfig }));
  } else {
    const gen = findGenerator(opts.unit);
    if (gen === undefined) {
      throw new CliError(`--unit ${JSON.stringify(opts.unit)} is unknown: registered units are ${REGISTRY.map((g) => g.name).join(', ')}`);
    }
    jobs = [{ gen, raw: rawUnitConfig(gen.defaultConfig, opts.config, opts.set) }];
    dir = opts.out ?? path.join(DEFAULT_ROOT, gen.name);
  }
  // Refuse an output path we may not write before any work.
  checkOutputDir(dir, force);

  // Generate everything first: a bad config or a DSL error stops before any write.
  const designs: { design: EmittedDesign; name: string }[] = jobs.map((j) => {
    try {
      return { design: emitDesign(j.gen.build(j.raw), { romInit }), name: j.gen.name };
    } catch (e) {
      // Name the file the configuration came from: the user must know which one to fix.
      const where = opts.config === undefined ? '' : `--config ${opts.config}: `;
      if (e instanceof ConfigError || e instanceof DslError) throw new CliError(`${where}${e.message}`);
      // A configuration the unit's schema accepted but whose derived widths pass the
      // DSL's limit (e.g. an average-pooling accumulator above 256 bits): still the
      // configuration's size, so the user's to change; the schema should say it sooner.
      if (e instanceof ShapeError) throw new CliError(`${where}unit ${j.gen.name}: this configuration needs a signal wider than the DSL allows (${e.message.replace(/^[a-z]+: /, '')}): make it smaller`);
      throw e;
    }
  });
  const show = (d: string): string => path.relative(process.cwd(), d) || '.';
  if (opts.unit === undefined) {
    // The default accelerator beside the units, generated before anything is written.
    const { kit } = buildAcceleratorKit(defaultModel(), [], romInit);
    const written = await writeDesignSet(designs, dir, force, [{ name: defaultAccelName(), files: kitFiles(kit) }]);
    for (const u of written.units) print(`${u.name}: ${u.files.length} files -> ${show(path.join(written.dir, u.name))}`);
    print(kit.summary);
    print(`default model ${defaultModelReason()}`);
  } else {
    const d = designs[0]!;
    const written = await writeDesign(d.design, dir, force);
    print(`${d.name}: ${written.files.length} files -> ${show(written.dir)}`);
  }
}
