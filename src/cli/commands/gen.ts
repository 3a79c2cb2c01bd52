// `pikehdl gen`: emit Verilog from the generator registry.
//   pikehdl gen                      every unit's default into build/rtl/<unit>/
//   pikehdl gen --unit <name> [--config file.json] [--set key=value ...] [--out dir]
//   pikehdl gen --list               the registered units
// Configs are validated by the unit's schema; every design is generated in
// memory before anything is written, and each output directory is replaced
// atomically, so an error never leaves half-written output.
import path from 'node:path';
import type { Command } from 'commander';
import { DslError } from '../../../hdl-gen/dsl/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/index.ts';
import type { EmittedDesign } from '../../../hdl-gen/emit/index.ts';
import { ConfigError, REGISTRY, findGenerator } from '../../../hdl-gen/generators/index.ts';
import type { Generator } from '../../../hdl-gen/generators/index.ts';
import { writeDesign } from '../../../hdl-gen/write/index.ts';
import { CliError } from '../cliError.ts';
import { collect, rawUnitConfig } from '../unitConfig.ts';
import { DEFAULT_ACCEL_DIR, runGenModel } from './genModel.ts';

const DEFAULT_ROOT = path.join('build', 'rtl');

interface GenOptions {
  unit?: string;
  config?: string;
  set: string[];
  out?: string;
  list?: boolean;
  romInit: string;
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
    .option('--model <file|builtin>', 'emit the network accelerator for an integer network file or a built-in (mnist_tiny); --set overrides its parameters')
    .action(async (opts: GenOptions) => {
      await runGen(opts, (line) => process.stdout.write(`${line}\n`));
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
  if (opts.model !== undefined) {
    if (opts.unit !== undefined || opts.config !== undefined) throw new CliError('--model cannot be combined with --unit or --config');
    await runGenModel({ model: opts.model, set: opts.set, romInit, ...(opts.out !== undefined ? { out: opts.out } : {}) }, print);
    return;
  }
  let jobs: { gen: Generator; raw: unknown; dir: string }[];
  if (opts.unit === undefined) {
    if (opts.config !== undefined || opts.set.length > 0) throw new CliError('--config and --set need --unit <name>');
    const root = opts.out ?? DEFAULT_ROOT;
    jobs = REGISTRY.map((gen) => ({ gen, raw: gen.defaultConfig, dir: path.join(root, gen.name) }));
  } else {
    const gen = findGenerator(opts.unit);
    if (gen === undefined) {
      throw new CliError(`--unit ${JSON.stringify(opts.unit)} is unknown: registered units are ${REGISTRY.map((g) => g.name).join(', ')}`);
    }
    jobs = [{ gen, raw: rawUnitConfig(gen.defaultConfig, opts.config, opts.set), dir: opts.out ?? path.join(DEFAULT_ROOT, gen.name) }];
  }

  // Generate everything first: a bad config or a DSL error stops before any write.
  const designs: { design: EmittedDesign; dir: string; unit: string }[] = jobs.map((j) => {
    try {
      return { design: emitDesign(j.gen.build(j.raw), { romInit }), dir: j.dir, unit: j.gen.name };
    } catch (e) {
      if (e instanceof ConfigError || e instanceof DslError) throw new CliError(e.message);
      throw e;
    }
  });
  for (const { design, dir, unit } of designs) {
    const written = await writeDesign(design, dir);
    const rel = path.relative(process.cwd(), written.dir) || '.';
    print(`${unit}: ${written.files.length} files -> ${rel}`);
  }
  // No --unit: the default network accelerator too.
  if (opts.unit === undefined) await runGenModel({ set: [], romInit, ...(opts.out !== undefined ? { out: path.join(opts.out, path.basename(DEFAULT_ACCEL_DIR)) } : {}) }, print);
}

