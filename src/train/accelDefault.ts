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
import type { DeviceFit } from '../fpga/deviceFit.ts';
import { SHIPPED_MANIFEST, TRAINED_DIR, type ShippedManifest, type ShippedModel } from './shipModels.ts';

export const SHIPPED_MANIFEST_FILE = SHIPPED_MANIFEST;
export const FPGA_FIT_FILE = join(TRAINED_DIR, 'mnist_sep.fpga-fit.json');

/** One shipped model's measured fit on the default FPGA target (fpgaFit.ts). */
export interface FpgaFitEntry extends DeviceFit {
  readonly network: string;
  readonly set: readonly string[];
}

export interface FpgaFitFile {
  readonly format: 'pikehdl-fpga-fit';
  readonly version: 1;
  readonly device: string;
  readonly command: string;
  readonly tools: string;
  readonly models: readonly FpgaFitEntry[];
}

export interface AccelDefaultChoice {
  readonly network: string;
  readonly model: ShippedModel;
  readonly fit: FpgaFitEntry;
  /** The narrowest-ratio reading's choice (highest accuracy / ACEv2 among those that fit), for the docs. */
  readonly byRatio: string;
  readonly reason: string;
}

/** The rule, on already-read files. Throws when no shipped model is measured to fit (the caller names the fallback). */
export function chooseAccelDefault(manifest: ShippedManifest, fit: FpgaFitFile): AccelDefaultChoice {
  const fitting = manifest.models.flatMap((m) => {
    const f = fit.models.find((x) => x.network === m.network);
    return f !== undefined && f.fits ? [{ m, f }] : [];
  });
  if (fitting.length === 0) throw new RangeError(`accelDefault: no shipped model is measured to fit ${fit.device} (${FPGA_FIT_FILE}: rerun npx tsx src/train/fpgaFit.ts)`);
  const best = [...fitting].sort((a, b) => b.m.heldOut.accuracy - a.m.heldOut.accuracy || a.m.acev2 - b.m.acev2)[0]!;
  const ratio = [...fitting].sort((a, b) => b.m.heldOut.accuracy / b.m.acev2 - a.m.heldOut.accuracy / a.m.acev2)[0]!;
  const others = manifest.models.filter((m) => m !== best.m).map((m) => {
    const f = fit.models.find((x) => x.network === m.network);
    return `${m.network} ${f === undefined ? 'not measured' : f.fits ? `fits, ${m.heldOut.accuracy.toFixed(2)}%` : `does not fit (${f.ram}/${f.capacity.ram} RAM4K, ${f.lut4}/${f.capacity.lut4} LUT4)`}`;
  });
  return {
    network: best.m.network, model: best.m, fit: best.f, byRatio: ratio.m.network,
    reason: `${best.m.network}: the most accurate shipped model (${best.m.heldOut.accuracy.toFixed(2)}% held out) that fits ${fit.device} with ${best.f.set.join(' ') || 'the default configuration'} (${best.f.ram}/${best.f.capacity.ram} RAM4K, ${best.f.lut4}/${best.f.capacity.lut4} LUT4); ${others.join('; ')}`,
  };
}

/** The choice from the files in the repository; undefined when either file is missing. */
export function accelDefaultFromFiles(): AccelDefaultChoice | undefined {
  if (!existsSync(SHIPPED_MANIFEST_FILE) || !existsSync(FPGA_FIT_FILE)) return undefined;
  const manifest = JSON.parse(readFileSync(SHIPPED_MANIFEST_FILE, 'utf8')) as ShippedManifest;
  const fit = JSON.parse(readFileSync(FPGA_FIT_FILE, 'utf8')) as FpgaFitFile;
  if (manifest.format !== 'pikehdl-shipped-models') throw new RangeError(`${SHIPPED_MANIFEST_FILE}: format is "${String(manifest.format)}", expected "pikehdl-shipped-models"`);
  if (fit.format !== 'pikehdl-fpga-fit') throw new RangeError(`${FPGA_FIT_FILE}: format is "${String(fit.format)}", expected "pikehdl-fpga-fit"`);
  return chooseAccelDefault(manifest, fit);
}
