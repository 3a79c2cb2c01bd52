// `pikehdl coverage`: Verilator line and toggle coverage of each unit under its property stimulus.
//   pikehdl coverage --unit <name>|all [--out DIR]
// The unit at its default configuration, the stimulus and frames of the
// property co-simulation (sim/units, default seed; always ready + the default
// backpressure seeds), built with --coverage-line --coverage-toggle. Writes
// build/coverage/coverage.{json,txt}: the table and every point no test reaches.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { findGenerator } from '../../../hdl-gen/generators/index.ts';
import { SimError } from '../../../sim/index.ts';
import { buildRoot } from '../../../sim/paths.ts';
import { UNIT_BENCHES, findUnitBench } from '../../../sim/units/index.ts';
import { type UnitCoverage, unitCoverage } from '../../verify/coverage.ts';
import { ACCELERATOR, acceleratorCoverage } from '../../verify/mutateAccelerator.ts';
import { VerifyError } from '../../verify/verifyError.ts';
import { CliError } from '../cliError.ts';

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('Verilator line and toggle coverage of each unit under its property stimulus, with the points no test reaches')
    .requiredOption('--unit <name>', `unit, or all, or ${ACCELERATOR}: ${UNIT_BENCHES.map((b) => b.name).join(', ')}`)
    .option('--out <dir>', 'report folder (default build/coverage)')
    .action(async (args: { unit: string; out?: string }) => {
      await runCoverage(args, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
    });
}

export async function runCoverage(args: { unit: string; out?: string }, out: (line: string) => void, err: (line: string) => void): Promise<UnitCoverage[]> {
  const accelerator = args.unit === ACCELERATOR;
  const benches = args.unit === 'all' ? [...UNIT_BENCHES] : [findUnitBench(args.unit)].filter((b) => b !== undefined);
  if (benches.length === 0 && !accelerator) {
    throw new CliError(`--unit ${JSON.stringify(args.unit)} is unknown: units with properties are ${UNIT_BENCHES.map((b) => b.name).join(', ')} (or all, or ${ACCELERATOR})`);
  }
  const results: UnitCoverage[] = [];
  if (accelerator) {
    err(`coverage ${ACCELERATOR}: building the loadable accelerator with line and toggle coverage and running its property workload`);
    try {
      results.push(await acceleratorCoverage());
    } catch (e) {
      if (e instanceof VerifyError) throw new CliError(e.message);
      if (e instanceof SimError && e.kind === 'tool-missing') throw new CliError(e.message.replace(/^pikehdl sim: /, ''));
      throw e;
    }
  }
  for (const b of benches) {
    err(`coverage ${b.name}: building with line and toggle coverage and running the property stimulus`);
    try {
      results.push(await unitCoverage(b.name, b.prepare(findGenerator(b.name)!.defaultConfig, b.defaultCount, 1)));
    } catch (e) {
      if (e instanceof VerifyError) throw new CliError(e.message);
      if (e instanceof SimError && e.kind === 'tool-missing') throw new CliError(e.message.replace(/^pikehdl sim: /, ''));
      throw e;
    }
  }
  const text = coverageTable(results);
  const dir = path.resolve(args.out ?? path.join(buildRoot(), 'coverage'));
  await mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, 'coverage.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomic(path.join(dir, 'coverage.txt'), text);
  for (const line of text.trimEnd().split('\n')) out(line);
  out(`reports: ${path.relative(process.cwd(), dir) || dir}/`);
  return results;
}

export function coverageTable(rs: readonly UnitCoverage[]): string {
  const pct = (f: { covered: number; total: number; percent: number }): string => `${f.percent.toFixed(1)}% (${f.covered}/${f.total})`;
  const rows = rs.map((r) => [r.unit, pct(r.line), pct(r.toggle), `${(r.runMs / 1000).toFixed(1)} s`]);
  const head = ['unit', 'line', 'toggle', 'run'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  const lines = [fmt(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(fmt), ''];
  for (const r of rs) {
    lines.push(r.uncovered.length === 0 ? `${r.unit}: every point reached` : `${r.unit}: ${r.uncovered.length} points never reached:`);
    for (const u of r.uncovered) lines.push(`  ${u.kind} ${u.file}:${u.line} ${u.what}`);
    for (const u of r.waived) lines.push(`  waived: ${u.kind} ${u.file}:${u.line} ${u.what} (count ${u.count}): ${u.why}`);
  }
  return `${lines.join('\n')}\n`;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
