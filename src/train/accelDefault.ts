/**
 * Which shipped family model the accelerator uses by default (issue 14): of
 * the shipped pikelpn models (mnist_sep.shipped.json, written by results.ts)
 * that fit the default FPGA target (measured: mnist_sep.fpga-fit.json,
 * written by `npx tsx src/train/fpgaFit.ts`), the one furthest along the
 * accuracy-ACEv2 front, i.e. the most accurate (the lower ACEv2 on a tie).
 *
 * Why not the largest accuracy / ACEv2 ratio: accuracy saturates while ACEv2
 * grows about 2.3x per width doubling, so the ratio always picks the
 * narrowest model whatever fits, and "that still fits" would never bind. The
 * ratio's choice is reported beside it (docs/results.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPACITY, type DeviceFit, exceeds } from '../fpga/deviceFit.ts';
import { DEFAULT_DEVICE, DEVICE_IDS, type DeviceId } from '../fpga/devices.ts';
import { SHIPPED_MANIFEST, TRAINED_DIR, type ShippedManifest, type ShippedModel } from './shipModels.ts';

export const SHIPPED_MANIFEST_FILE = SHIPPED_MANIFEST;
export const FPGA_FIT_FILE = join(TRAINED_DIR, 'mnist_sep.fpga-fit.json');

/** One shipped model's measured fit on the default FPGA target (fpgaFit.ts), with the configuration it was measured at. */
export interface FpgaFitEntry extends DeviceFit {
  readonly network: string;
  /** The sha256 of the model file measured (the manifest's): the ROMs hold its weights, so another file is another design. */
  readonly sha256: string;
  readonly set: readonly string[];
}

export interface FpgaFitFile {
  readonly format: 'pikehdl-fpga-fit';
  readonly version: 1;
  readonly device: DeviceId;
  readonly command: string;
  readonly tools: string;
  readonly models: readonly FpgaFitEntry[];
}

export interface AccelDefaultChoice {
  readonly network: string;
  readonly model: ShippedModel;
  readonly fit: FpgaFitEntry;
  /** The ratio reading's choice (highest accuracy / ACEv2 among those that fit), for the docs. */
  readonly byRatio: string;
  readonly reason: string;
}

/**
 * Whether a measured entry fits: synthesis within the part's cells (the rule
 * of src/fpga/deviceFit.ts, recomputed, not the stored verdict) and placed by
 * nextpnr (an Fmax exists).
 */
export function entryFits(device: DeviceId, f: FpgaFitEntry): boolean {
  return exceeds(device, f) === undefined && f.fmaxMhz !== null;
}

/** The rule, on already-read files. Throws when the file is for another part, or no shipped model is measured to fit. */
export function chooseAccelDefault(manifest: ShippedManifest, fit: FpgaFitFile): AccelDefaultChoice {
  if (fit.device !== DEFAULT_DEVICE) throw new RangeError(`${FPGA_FIT_FILE}: measured on ${fit.device}, but the default FPGA part is ${DEFAULT_DEVICE}: rerun npx tsx src/train/fpgaFit.ts`);
  // A shipped model retrained after its fit was measured: the measurement is of another design.
  for (const m of manifest.models) {
    const f = fit.models.find((x) => x.network === m.network);
    if (f !== undefined && f.sha256 !== m.sha256) throw new RangeError(`${FPGA_FIT_FILE}: ${m.network} was measured on a model file with sha256 ${f.sha256.slice(0, 12)}..., but the shipped ${m.file} has ${m.sha256.slice(0, 12)}...: rerun npx tsx src/train/fpgaFit.ts`);
  }
  const fitting = manifest.models.flatMap((m) => {
    const f = fit.models.find((x) => x.network === m.network);
    return f !== undefined && entryFits(fit.device, f) ? [{ m, f }] : [];
  });
  if (fitting.length === 0) throw new RangeError(`accelDefault: no shipped model is measured to fit ${fit.device} (${FPGA_FIT_FILE}: rerun npx tsx src/train/fpgaFit.ts)`);
  const best = [...fitting].sort((a, b) => b.m.heldOut.accuracy - a.m.heldOut.accuracy || a.m.acev2 - b.m.acev2)[0]!;
  const ratio = [...fitting].sort((a, b) => b.m.heldOut.accuracy / b.m.acev2 - a.m.heldOut.accuracy / a.m.acev2)[0]!;
  const cap = CAPACITY[fit.device];
  const others = manifest.models.filter((m) => m !== best.m).map((m) => {
    const f = fit.models.find((x) => x.network === m.network);
    return `${m.network} ${f === undefined ? 'not measured' : entryFits(fit.device, f) ? `fits, ${m.heldOut.accuracy.toFixed(2)}%` : `does not fit (${f.ram}/${cap.ram} RAM4K, ${f.lut4}/${cap.lut4} LUT4)`}`;
  });
  return {
    network: best.m.network, model: best.m, fit: best.f, byRatio: ratio.m.network,
    reason: `${best.m.network}: the most accurate shipped model (${best.m.heldOut.accuracy.toFixed(2)}% held out) that fits ${fit.device} at ${best.f.set.join(' ') || 'the default configuration'} (${best.f.ram}/${cap.ram} RAM4K, ${best.f.lut4}/${cap.lut4} LUT4); ${others.join('; ')}`,
  };
}

const fail = (file: string, field: string, value: unknown, rule: string): never => {
  throw new RangeError(`${file}: ${field} is ${JSON.stringify(value)}: ${rule}`);
};
const isSha256 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** The fit file, validated: each field named in the error when it is missing or wrong. */
export function parseFitFile(text: string, file = FPGA_FIT_FILE): FpgaFitFile {
  const d = JSON.parse(text) as Record<string, unknown>;
  if (d['format'] !== 'pikehdl-fpga-fit') fail(file, 'format', d['format'], 'must be "pikehdl-fpga-fit"');
  if (d['version'] !== 1) fail(file, 'version', d['version'], 'must be 1');
  if (!(DEVICE_IDS as readonly unknown[]).includes(d['device'])) fail(file, 'device', d['device'], `must be one of ${DEVICE_IDS.join(', ')}`);
  if (!Array.isArray(d['models'])) fail(file, 'models', d['models'], 'must be an array');
  (d['models'] as unknown[]).forEach((m, i) => {
    const e = m as Record<string, unknown>;
    if (typeof e['network'] !== 'string') fail(file, `models[${i}].network`, e['network'], 'must be a string');
    if (!isSha256(e['sha256'])) fail(file, `models[${i}].sha256`, e['sha256'], 'must be the measured model file\'s sha256 (64 hex digits)');
    if (!Array.isArray(e['set']) || !(e['set'] as unknown[]).every((x) => typeof x === 'string')) fail(file, `models[${i}].set`, e['set'], 'must be an array of strings');
    for (const k of ['lut4', 'ram', 'dsp', 'dff']) if (!isCount(e[k])) fail(file, `models[${i}].${k}`, e[k], 'must be a non-negative integer');
    if (e['fmaxMhz'] !== null && typeof e['fmaxMhz'] !== 'number') fail(file, `models[${i}].fmaxMhz`, e['fmaxMhz'], 'must be a number or null');
  });
  return d as unknown as FpgaFitFile;
}

/** The shipped manifest, with the fields the choice reads checked. */
export function parseShippedManifest(text: string, file = SHIPPED_MANIFEST_FILE): ShippedManifest {
  const d = JSON.parse(text) as Record<string, unknown>;
  if (d['format'] !== 'pikehdl-shipped-models') fail(file, 'format', d['format'], 'must be "pikehdl-shipped-models"');
  if (!Array.isArray(d['models'])) fail(file, 'models', d['models'], 'must be an array');
  (d['models'] as unknown[]).forEach((m, i) => {
    const e = m as Record<string, unknown>;
    if (typeof e['network'] !== 'string' || !/^[a-z0-9_]+$/.test(e['network'])) fail(file, `models[${i}].network`, e['network'], 'must be a lower-case identifier');
    if (typeof e['acev2'] !== 'number' || !(e['acev2'] > 0)) fail(file, `models[${i}].acev2`, e['acev2'], 'must be a positive number');
    if (!isSha256(e['sha256'])) fail(file, `models[${i}].sha256`, e['sha256'], 'must be the model file\'s sha256 (64 hex digits)');
    const h = e['heldOut'] as Record<string, unknown> | undefined;
    if (typeof h?.['accuracy'] !== 'number') fail(file, `models[${i}].heldOut.accuracy`, h?.['accuracy'], 'must be a number');
  });
  return d as unknown as ShippedManifest;
}

/** The shipped models' names (the manifest's), or none when it is absent. */
export function shippedModelNames(): string[] {
  if (!existsSync(SHIPPED_MANIFEST_FILE)) return [];
  return parseShippedManifest(readFileSync(SHIPPED_MANIFEST_FILE, 'utf8')).models.map((m) => m.network);
}

/** The choice from the files in the repository; undefined when either file is missing. */
export function accelDefaultFromFiles(): AccelDefaultChoice | undefined {
  if (!existsSync(SHIPPED_MANIFEST_FILE) || !existsSync(FPGA_FIT_FILE)) return undefined;
  return chooseAccelDefault(parseShippedManifest(readFileSync(SHIPPED_MANIFEST_FILE, 'utf8')), parseFitFile(readFileSync(FPGA_FIT_FILE, 'utf8')));
}
