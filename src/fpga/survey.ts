/**
 * "Checking the metric on real hardware": for each elementwise unit and a few
 * MAC-array / depthwise sizes, ACEv2 per transaction (the unit's operator
 * inventory, tallyFromInventory(inventory, 1, DEFAULT_COST_TABLE)) against
 * the LUT4 + SB_CARRY count of Yosys synth_ice40, and the Spearman rank
 * correlation between the two. Nothing is tuned: the cost table is the default.
 */
import path from 'node:path';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { flowCommands, statFile } from './commands.ts';
import type { Device } from './devices.ts';
import { FpgaError } from './fpgaError.ts';
import { prepareHandoff, writeHandoff } from './handoff.ts';
import { costPerTransaction } from './inventories.ts';
import { type CellCounts, parseYosysStat } from './parseReports.ts';
import { requireFpgaTool, runTool } from './tools.ts';
import { readFile } from 'node:fs/promises';
import type { JsonValue } from '../../hdl-gen/dsl/index.ts';

export interface SurveyPoint {
  /** Row label. */
  readonly label: string;
  readonly unit: string;
  /** Overrides of the unit's default config. */
  readonly set: Readonly<Record<string, unknown>>;
  /** A whole config instead of the default (for variants the default's fields do not fit). */
  readonly config?: Readonly<Record<string, unknown>>;
}

export const SURVEY_POINTS: readonly SurveyPoint[] = Object.freeze([
  { label: 'requantizer doubleQuant x4', unit: 'requantizer', set: {} },
  { label: 'requantizer tflite x4', unit: 'requantizer', set: {}, config: { variant: 'tflite', lanes: 4 } },
  { label: 'quant_norm x4', unit: 'quant_norm', set: {} },
  { label: 'fused_norm_requant x4', unit: 'fused_norm_requant', set: {} },
  { label: 'activation prelu x4', unit: 'activation', set: {} },
  { label: 'activation relu x4', unit: 'activation', set: {}, config: { kind: 'relu', lanes: 4, inBits: 16, outBits: 8, outSigned: true } },
  { label: 'residual_add x4', unit: 'residual_add', set: {} },
  { label: 'avg_pool 2x2 x4ch', unit: 'avg_pool', set: {} },
  { label: 'mac_array 2x2 4b', unit: 'mac_array', set: { rows: 2, cols: 2 } },
  { label: 'mac_array 4x4 4b', unit: 'mac_array', set: {} },
  { label: 'mac_array 4x4 8b', unit: 'mac_array', set: { weightBits: 8, activationBits: 8 } },
  { label: 'depthwise 3x3 x4ch', unit: 'depthwise', set: {} },
]);

export interface SurveyRow {
  readonly label: string;
  readonly unit: string;
  readonly top: string;
  readonly acev2: number;
  readonly cells: CellCounts;
  /** LUT4 + SB_CARRY: the logic ACEv2 is compared with. */
  readonly lutCarry: number;
  /** What to call to reproduce the row: runSurveyPoint(device, root, point). */
  readonly point: SurveyPoint;
  /** The validated configuration that was synthesised. */
  readonly config: JsonValue;
}

export interface Survey {
  readonly device: string;
  readonly rows: readonly SurveyRow[];
  /** Spearman rank correlation of ACEv2 and LUT4 + carry over the rows. */
  readonly spearman: number;
  /** The same for DFF count (registers are not in ACEv2 at all). */
  readonly spearmanDff: number;
}

export async function runSurvey(device: Device, root: string, log: (line: string) => void, points: readonly SurveyPoint[] = SURVEY_POINTS): Promise<Survey> {
  await requireFpgaTool('yosys');
  const rows: SurveyRow[] = [];
  for (const p of points) rows.push(await runSurveyPoint(device, path.join(root, `${p.unit}-${rows.length}`), p, log));
  return {
    device: device.id,
    rows,
    spearman: spearman(rows.map((r) => r.acev2), rows.map((r) => r.lutCarry)),
    spearmanDff: spearman(rows.map((r) => r.acev2), rows.map((r) => r.cells.dff)),
  };
}

/** One survey row: the handoff of `p` written into `dir`, Yosys run on it, cells counted against ACEv2. */
export async function runSurveyPoint(device: Device, dir: string, p: SurveyPoint, log: (line: string) => void = () => undefined): Promise<SurveyRow> {
  const gen = findGenerator(p.unit);
  if (gen === undefined) throw new FpgaError(`survey: unit ${p.unit} is not registered (this is a bug)`);
  const base = p.config ?? gen.defaultConfig;
  const raw: unknown = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...base, ...p.set } : base;
  const cost = costPerTransaction(gen, raw);
  if (cost === undefined) throw new FpgaError(`survey: unit ${p.unit} has no operator inventory (this is a bug)`);
  const h = prepareHandoff(gen, raw, { device, freqMhz: 50, wrap: 'never', portBits: 8, pcfText: null });
  const out = await writeHandoff(h, dir);
  const argv = flowCommands(h.view).yosys;
  const r = await runTool(argv, out);
  if (r.code !== 0) throw new FpgaError(`survey ${p.label}: yosys failed (exit ${String(r.code)}), see ${path.join(out, 'yosys.log')}`);
  const cells = parseYosysStat(await readFile(path.join(out, statFile(h.view)), 'utf8'), h.view.top);
  const row: SurveyRow = {
    label: p.label,
    unit: p.unit,
    top: h.view.top,
    acev2: cost.acev2,
    cells,
    lutCarry: cells.lut4 + cells.carry,
    point: p,
    config: gen.parse(raw),
  };
  log(`${p.label}: ACEv2 ${row.acev2}, ${cells.lut4} LUT4 + ${cells.carry} carry, ${cells.dff} DFF, ${cells.dsp} DSP (${(r.ms / 1000).toFixed(1)} s)`);
  return row;
}

/** Ranks with ties sharing their mean rank. */
function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.x === order[i]!.x) j++;
    for (let k = i; k <= j; k++) r[order[k]!.i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rho: the Pearson correlation of the ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2) throw new FpgaError('spearman: need two equal-length series of at least 2 values');
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** The survey as a Markdown table (what docs/fpga.md quotes). */
export function surveyTable(s: Survey): string {
  const lines = [
    `| Unit | ACEv2 / transaction | LUT4 | SB_CARRY | LUT4 + carry | DFF | DSP | LUT+carry per ACEv2 |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const r of s.rows) {
    const per = r.acev2 === 0 ? 'n/a' : (r.lutCarry / r.acev2).toFixed(2);
    lines.push(`| ${r.label} | ${r.acev2} | ${r.cells.lut4} | ${r.cells.carry} | ${r.lutCarry} | ${r.cells.dff} | ${r.cells.dsp} | ${per} |`);
  }
  lines.push('', `Spearman rank correlation (${s.device}, ${s.rows.length} designs): ACEv2 vs LUT4 + carry ${s.spearman.toFixed(3)}; ACEv2 vs DFF ${s.spearmanDff.toFixed(3)}.`);
  return lines.join('\n');
}
