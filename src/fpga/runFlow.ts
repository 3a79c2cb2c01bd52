/**
 * `--run`: executes a written handoff's commands (the same argv the scripts
 * print, from commands.ts) in its directory, parses the results and writes
 * report.json (atomically: temp file + rename).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { NEXTPNR_LOG, NEXTPNR_REPORT, flowCommands, statFile } from './commands.ts';
import { FpgaError } from './fpgaError.ts';
import { type CellCounts, type TimingResult, parseNextpnr, parseYosysStat } from './parseReports.ts';
import { type FpgaTool, type ToolRun, requireFpgaTool, runTool } from './tools.ts';
import type { FpgaView } from './viewModel.ts';

export const REPORT_FILE = 'report.json';

export interface FpgaReport {
  readonly unit: string;
  readonly top: string;
  readonly device: string;
  readonly freqMhz: number;
  readonly acev2PerTransaction: number | null;
  readonly synth: CellCounts & { readonly top: string; readonly seconds: number };
  readonly pnr:
    | ({ readonly top: string; readonly wrapped: boolean; readonly seconds: number } & TimingResult)
    | { readonly skipped: string };
  readonly tools: Readonly<Partial<Record<FpgaTool, string>>>;
}

function tail(text: string, n = 25): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

async function step(argv: readonly string[], dir: string, what: string): Promise<ToolRun> {
  const r = await runTool(argv, dir);
  if (r.code !== 0) throw new FpgaError(`${what} failed (exit ${String(r.code)}): ${argv.join(' ')}\n${tail(r.output)}`);
  return r;
}

/** Runs synthesis (and place-and-route unless the view skips it) in `dir` and writes report.json. */
export async function runFlow(view: FpgaView, dir: string, opts: { env?: NodeJS.ProcessEnv; skipPnr?: (cells: CellCounts) => string | undefined } = {}): Promise<FpgaReport> {
  const cmds = flowCommands(view);
  // Check every tool before running any, so a missing nextpnr does not cost a synthesis first.
  const tools: Partial<Record<FpgaTool, string>> = { yosys: await requireFpgaTool('yosys', opts.env) };
  if (cmds.nextpnr !== null) tools['nextpnr-ice40'] = await requireFpgaTool('nextpnr-ice40', opts.env);

  const synthRun = await step(cmds.yosys, dir, 'yosys synth_ice40');
  const cells = parseYosysStat(await readFile(path.join(dir, statFile(view)), 'utf8'), view.top);
  const synth = { top: view.top, ...cells, seconds: synthRun.ms / 1000 };

  let pnr: FpgaReport['pnr'];
  // A caller that knows the device's resources skips place-and-route when synthesis already exceeds them
  // (nextpnr would only fail with "no BELs remaining"), so the report says why instead of an error.
  const over = opts.skipPnr?.(cells);
  if (cmds.nextpnr === null || over !== undefined) {
    pnr = { skipped: over ?? view.pnrSkip ?? 'no place-and-route in this flow' };
  } else {
    let ms = 0;
    if (cmds.yosysPnr !== null) ms += (await step(cmds.yosysPnr, dir, 'yosys synth_ice40 of the wrapper')).ms;
    ms += (await step(cmds.nextpnr, dir, 'nextpnr-ice40')).ms;
    const reportPath = path.join(dir, NEXTPNR_REPORT);
    const timing = parseNextpnr(existsSync(reportPath) ? await readFile(reportPath, 'utf8') : null, await readFile(path.join(dir, NEXTPNR_LOG), 'utf8'));
    pnr = { top: view.pnrTop, wrapped: view.wrapper !== null, seconds: ms / 1000, ...timing };
  }
  const report: FpgaReport = {
    unit: view.unit,
    top: view.top,
    device: view.device,
    freqMhz: view.freqMhz,
    acev2PerTransaction: view.acev2PerTransaction,
    synth,
    pnr,
    tools,
  };
  const file = path.join(dir, REPORT_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return report;
}

/** One line: cells, Fmax (or why place-and-route was skipped) and ACEv2. */
export function summaryLine(r: FpgaReport): string {
  const s = r.synth;
  const cells = `${s.lut4} LUT4, ${s.dff} DFF, ${s.carry} SB_CARRY, ${s.ram} RAM, ${s.dsp} DSP`;
  const timing =
    'skipped' in r.pnr
      ? `place-and-route skipped (${r.pnr.skipped})`
      : `Fmax ${r.pnr.fmaxMhz.toFixed(2)} MHz (target ${r.pnr.targetMhz} MHz, ${r.pnr.met ? 'met' : 'missed'}${r.pnr.wrapped ? `, placed as ${r.pnr.top}` : ''})`;
  const ace = r.acev2PerTransaction === null ? '' : `; ACEv2/transaction ${r.acev2PerTransaction}`;
  return `${r.unit} (${r.top}) on ${r.device}: ${cells}; ${timing}${ace}`;
}
