/**
 * The shipped family models: for every width, the pikelpn model (QAT
 * weights) with the best held-out integer accuracy over the seeds trained so
 * far, copied unchanged to src/networks/trained/<network>.float.json (the
 * convention of mnist_tiny.float.json), and a manifest recording, for each,
 * its held-out accuracy and the exact number of correct digits on a fixed
 * subset (the first SUBSET_COUNT held-out digits), which
 * test/train/shipped.test.ts checks.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFloatNetwork } from '../model/index.ts';
import { RECIPES, compile } from '../quant/index.ts';
import { tallyNetwork } from '../cost/index.ts';
import { DEFAULT_SPLIT } from './dataset.ts';
import { heldOut, intAccuracy } from './evaluate.ts';
import { jobDir, stageNetworkPath, writeAtomic } from './familyConfig.ts';
import type { FamilyRecord } from './familyRecords.ts';

export const TRAINED_DIR = join('src', 'networks', 'trained');
export const SHIPPED_MANIFEST = join(TRAINED_DIR, 'mnist_sep.shipped.json');
export const SUBSET_COUNT = 300;

export interface ShippedModel {
  readonly network: string;
  readonly width: number;
  readonly seed: number;
  /** Repo-relative path of the shipped float network file. */
  readonly file: string;
  readonly sha256: string;
  readonly recipe: 'pikelpn';
  readonly weights: number;
  readonly acev2: number;
  /** On all held-out digits, from the family record. */
  readonly heldOut: { readonly count: number; readonly correct: number; readonly accuracy: number };
  /** On the first SUBSET_COUNT held-out digits, measured when shipped: the test's exact figure. */
  readonly subset: { readonly count: number; readonly correct: number };
  /** Seeds it was chosen from. */
  readonly chosenFrom: readonly number[];
}

export interface ShippedManifest {
  readonly format: 'pikehdl-shipped-models';
  readonly version: 1;
  readonly split: { readonly package: 'mnist'; readonly seed: number; readonly subset: string };
  readonly models: readonly ShippedModel[];
}

/** `pikehdl report --accuracy` file beside each shipped model: each recipe's mean over the seeds trained. */
export const accuracyPath = (network: string): string => join(TRAINED_DIR, `${network}.accuracy.json`);

function accuracyText(records: readonly FamilyRecord[], network: string): string {
  const points = ['float32', 'tflite8', 'conventional4', 'pikelpn'].flatMap((recipe) => {
    const xs = records.flatMap((r) => r.results.filter((x) => x.label === recipe).map((x) => x.accuracy));
    if (xs.length === 0) return [];
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const source = `pikehdl src/train/family.ts: mean over ${xs.length} seed${xs.length > 1 ? 's' : ''}, 2000 held-out digits of the seeded split of the mnist package (runFloat / bit-exact runInt); docs/results.md`;
    return [{ network, recipe, top1: Math.round(mean * 100) / 100, source }];
  });
  return `${JSON.stringify({ format: 'pikehdl-accuracy', version: 1, points }, null, 2)}\n`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Select, copy and measure; returns the manifest written. */
export function shipModels(records: readonly FamilyRecord[], familyRoot: string): ShippedManifest {
  const widths = [...new Set(records.filter((r) => r.results.some((x) => x.label === 'pikelpn')).map((r) => r.width))].sort((a, b) => a - b);
  const subset = heldOut(SUBSET_COUNT);
  const models = widths.map((width): ShippedModel => {
    const pool = records.filter((r) => r.width === width && r.results.some((x) => x.label === 'pikelpn'));
    const pike = (r: FamilyRecord): number => r.results.find((x) => x.label === 'pikelpn')!.correct;
    // Best held-out pikelpn accuracy; ties go to the lower seed (records are sorted by seed).
    const best = pool.reduce((a, r) => (pike(r) > pike(a) ? r : a));
    const src = stageNetworkPath(familyRoot, { width, seed: best.seed }, 'qat-pikelpn');
    if (!existsSync(src)) throw new RangeError(`ship: ${src} is missing (record in ${jobDir(familyRoot, { width, seed: best.seed })})`);
    const text = readFileSync(src, 'utf8');
    const file = join(TRAINED_DIR, `${best.network}.float.json`);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeAtomic(file, text);
    const net = parseFloatNetwork(text, file);
    const correct = Math.round((intAccuracy(compile(net, RECIPES.pikelpn).net, subset) * subset.count) / 100);
    const res = best.results.find((x) => x.label === 'pikelpn')!;
    return {
      network: best.network, width, seed: best.seed, file: file.split('\\').join('/'), sha256: sha256(text), recipe: 'pikelpn', weights: best.weights,
      acev2: tallyNetwork(net, RECIPES.pikelpn).acev2,
      heldOut: { count: best.heldOutCount, correct: res.correct, accuracy: res.accuracy },
      subset: { count: subset.count, correct },
      chosenFrom: pool.map((r) => r.seed),
    };
  });
  const manifest: ShippedManifest = {
    format: 'pikehdl-shipped-models',
    version: 1,
    split: { package: 'mnist', seed: DEFAULT_SPLIT.seed, subset: `the first ${SUBSET_COUNT} held-out digits of the default split (src/train/dataset.ts)` },
    models,
  };
  writeAtomic(SHIPPED_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const m of models) writeAtomic(accuracyPath(m.network), accuracyText(records.filter((r) => r.width === m.width), m.network));
  return manifest;
}
