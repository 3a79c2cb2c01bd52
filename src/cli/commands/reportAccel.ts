// `pikehdl report --accel --model NAME[,NAME...] [--set key=value] [--clock-mhz F] [--bandwidth B] --out DIR`:
// the accelerator's performance report per network (src/accel/perfReport.ts) from the compiled layer
// program, with no simulation: cycles per inference vs the ideal, per-layer cycles and utilization,
// external traffic (minimum, layer by layer, this design), ACEv2 per inference and inferences per
// second, as <name>.json and <name>.md, and a roofline plot <name>-roofline.svg. The cycle model is
// the one the co-simulation checks against the RTL's counters (cosim --model prints the same report).
import { accelPerformanceReport, type AccelPerfReport, DEFAULT_BANDWIDTH_BYTES_PER_CYCLE, DEFAULT_CLOCK_MHZ, formatPerformanceSummary } from '../../accel/perfReport.ts';
import { rooflineSpec } from '../../accel/rooflineChart.ts';
import { renderSvg } from '../../cost/report/renderSvg.ts';
import { checkOutputDir, writeOutputDir } from '../../output/index.ts';
import { setupAccelerator } from '../accel/accelSetup.ts';
import { CliError } from '../cliError.ts';

export interface AccelReportOptions {
  readonly model: string;
  readonly set: readonly string[];
  readonly out: string;
  readonly clockMhz?: string;
  readonly bandwidth?: string;
  readonly force?: boolean;
}

function positive(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || v > 1e6) throw new CliError(`report: --${name} ${JSON.stringify(text)} is invalid: must be a number in (0, 1e6]`);
  return v;
}

const SAFE = /[^A-Za-z0-9_.-]/g;
const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** The report as a Markdown section (what docs/performance.md quotes). */
export function perfReportMarkdown(r: AccelPerfReport): string {
  const lines = [
    `## ${r.network}`,
    '',
    ...formatPerformanceSummary(r).map((l) => `    ${l}`),
    '',
    '| layer | op | engine | MACs | cycles | ideal | utilization | MACs/byte | layer traffic (B) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
    ...r.layers.map((l) => `| ${l.name} | ${l.op} | ${l.engine} | ${n0(l.macs)} | ${n0(l.cycles)} | ${n0(l.idealCycles)} | ${pct(l.utilization)} | ${l.intensity.toFixed(1)} | ${n0(l.layerTrafficBytes)} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export async function runAccelReport(o: AccelReportOptions, log: (line: string) => void): Promise<string[]> {
  const clockMHz = positive('clock-mhz', o.clockMhz, DEFAULT_CLOCK_MHZ);
  const bandwidthBytesPerCycle = positive('bandwidth', o.bandwidth, DEFAULT_BANDWIDTH_BYTES_PER_CYCLE);
  // Refuse an output folder we may not write before minutes of compiling, not after.
  checkOutputDir(o.out, o.force ? { force: true } : {});
  const names = o.model.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new CliError('report --accel: --model needs at least one network');
  // Each model's files are named for it: two models with one name (or one named like the manifest)
  // would collide in the folder; refuse that before compiling, not at the write.
  const baseOf = (name: string): string => name.replace(/\.json$/, '').split('/').pop()!.replace(SAFE, '_');
  const seen = new Map<string, string>([['manifest', 'the manifest']]);
  for (const name of names) {
    const other = seen.get(baseOf(name));
    if (other !== undefined) throw new CliError(`report --accel: --model ${JSON.stringify(name)} and ${other === 'the manifest' ? other : JSON.stringify(other)} would both write ${baseOf(name)}.json: give each model a distinct file name`);
    seen.set(baseOf(name), name);
  }
  const files: { name: string; text: string }[] = [];
  for (const name of names) {
    log(`report --accel: compiling ${name}`);
    const { model, program } = setupAccelerator(name, o.set);
    const r = accelPerformanceReport(program, model.net, model.float && model.recipe ? { float: model.float, recipe: model.recipe } : undefined, { clockMHz, bandwidthBytesPerCycle });
    const base = baseOf(name);
    files.push({ name: `${base}.json`, text: `${JSON.stringify({ config: program.config, report: r }, null, 2)}\n` });
    files.push({ name: `${base}.md`, text: perfReportMarkdown(r) });
    const svg = await renderSvg(rooflineSpec(r));
    files.push({ name: `${base}-roofline.svg`, text: svg.endsWith('\n') ? svg : `${svg}\n` });
    for (const l of formatPerformanceSummary(r)) log(`  ${l}`);
  }
  files.push({ name: 'manifest.json', text: `${JSON.stringify({ generatedBy: 'pikehdl report --accel', models: names, clockMHz, bandwidthBytesPerCycle, set: o.set }, null, 2)}\n` });
  await writeOutputDir(o.out, (w) => {
    for (const f of files) w.file(f.name, f.text);
  }, o.force ? { force: true } : {});
  return files.map((f) => f.name);
}
