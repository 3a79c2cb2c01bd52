/**
 * Evaluate the shipped trained mnistTiny on the held-out digits of the fixed
 * split: float accuracy (runFloat), the compiled integer networks' accuracy
 * (runInt, bit-exact) for every recipe and the pikelpn ablations, ACEv2 of
 * each (src/cost), and DHQ on the trained weights (quantization error of each
 * depthwise / pointwise tensor under DHQ's choice vs one homogeneous scheme
 * at equal bits). Writes mnist_tiny.accuracy.json (pikehdl-accuracy, for
 * `pikehdl report --accuracy`) and mnist_tiny.evaluation.json.
 *
 *   npx tsx src/train/evaluate.ts [--count N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFloatNetwork, type FloatNetwork, type IntNetwork } from '../model/index.ts';
import {
  RECIPES, chooseWeightScheme, compile, dequantize, expectedOutputError, layerFamily, layoutOf, quantizationError, quantizeTensor, withTechniques,
  type Recipe, type WeightScheme,
} from '../quant/index.ts';
import { quantizeInput, runFloat, runInt } from '../ref/index.ts';
import { tallyNetwork } from '../cost/index.ts';
import { imageOf, loadSamples, makeSplit, type Samples } from './dataset.ts';
import { writeAtomic } from './familyConfig.ts';

const DIR = join('src', 'networks', 'trained');
/** QAT for pikelpn (DHQ's weight schemes): the shipped trained network. */
export const TRAINED_FILE = join(DIR, 'mnist_tiny.float.json');
/** QAT for conventional4 (per-channel max weights). */
export const CONVENTIONAL4_FILE = join(DIR, 'mnist_tiny.conventional4.float.json');
/** After the float phase only: the float32 baseline, and the input of post-training quantization (tflite8). */
export const PREQUANT_FILE = join(DIR, 'mnist_tiny.prequant.float.json');
export const ACCURACY_FILE = join(DIR, 'mnist_tiny.accuracy.json');
export const EVALUATION_FILE = join(DIR, 'mnist_tiny.evaluation.json');

export function loadTrained(file: string = TRAINED_FILE): FloatNetwork {
  return parseFloatNetwork(readFileSync(file, 'utf8'), file);
}

/** The held-out digits of the default split (the first `count` of them). */
export function heldOut(count?: number): Samples {
  const test = makeSplit().test;
  return loadSamples(count === undefined ? test : test.slice(0, count));
}

/** Index of the largest value; the first one on ties. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Float accuracy; with `clipped`, every layer's output is clamped to its outputRange (the QAT clipping, without rounding). */
export function floatAccuracy(net: FloatNetwork, data: Samples, clipped = false): number {
  const clip = new Map<string, { lo: number; hi: number }>();
  if (clipped) for (const l of net.layers) if ('outputRange' in l && l.outputRange) clip.set(l.name, { lo: l.outputRange.min, hi: l.outputRange.max });
  let correct = 0;
  for (let n = 0; n < data.count; n++) if (argmax(runFloat(net, imageOf(data, n), { clip }).output) === data.labels[n]) correct++;
  return (100 * correct) / data.count;
}

export function intAccuracy(net: IntNetwork, data: Samples): number {
  let correct = 0;
  for (let n = 0; n < data.count; n++) {
    if (argmax(runInt(net, quantizeInput(net.input.tensor, imageOf(data, n))).output) === data.labels[n]) correct++;
  }
  return (100 * correct) / data.count;
}

export interface Variant {
  readonly label: string;
  readonly recipe: Recipe;
}

export const VARIANTS: readonly Variant[] = Object.freeze([
  { label: 'conventional4', recipe: RECIPES.conventional4 },
  { label: 'pikelpn', recipe: RECIPES.pikelpn },
  { label: 'pikelpn, no QuantNorm', recipe: withTechniques(RECIPES.pikelpn, { quantNorm: false }) },
  { label: 'pikelpn, no Double Quantization', recipe: withTechniques(RECIPES.pikelpn, { doubleQuant: false }) },
  { label: 'pikelpn, no DHQ', recipe: withTechniques(RECIPES.pikelpn, { dhq: false }) },
  { label: 'tflite8', recipe: RECIPES.tflite8 },
]);

export interface DhqRow {
  readonly layer: string;
  readonly family: 'depthwise' | 'pointwise';
  readonly bits: number;
  readonly chosen: WeightScheme;
  /** Weight NMSE and expected output error (dhq.ts) of DHQ's choice and of the homogeneous schemes. */
  readonly dhq: { readonly nmse: number; readonly outputError: number };
  readonly perChannelMax: { readonly nmse: number; readonly outputError: number };
  readonly perTensorMax: { readonly nmse: number; readonly outputError: number };
}

function schemeErrors(w: readonly number[], layout: ReturnType<typeof layoutOf>, bits: number, scheme: WeightScheme): { nmse: number; outputError: number } {
  const q = quantizeTensor(w, layout, { bits, symmetric: true, ...scheme });
  return { nmse: quantizationError(w, q).nmse, outputError: expectedOutputError(w, dequantize(q), layout) };
}

export function dhqRows(net: FloatNetwork, bits = 4): DhqRow[] {
  const rows: DhqRow[] = [];
  let channels = net.input.channels;
  for (const l of net.layers) {
    if (l.op === 'conv2d' || l.op === 'depthwiseConv2d' || l.op === 'dense') {
      const outC = l.op === 'conv2d' ? l.outChannels : l.op === 'dense' ? l.outFeatures : channels;
      const family = layerFamily(l);
      if (family !== 'other' && l.weights) {
        const layout = layoutOf(l, outC);
        const choice = chooseWeightScheme(l.weights, layout, bits);
        rows.push({
          layer: l.name, family, bits, chosen: choice.scheme,
          dhq: schemeErrors(l.weights, layout, bits, choice.scheme),
          perChannelMax: schemeErrors(l.weights, layout, bits, RECIPES.pikelpn.weightScheme),
          perTensorMax: schemeErrors(l.weights, layout, bits, { granularity: 'per-tensor', clipping: 'max', powerOfTwoScale: false }),
        });
      }
      channels = outC;
    }
  }
  return rows;
}

export type WeightsName = 'float-trained' | 'qat-pikelpn' | 'qat-conventional4';

export interface EvaluationRow {
  /** Which trained weights were compiled or run. */
  readonly weights: WeightsName;
  readonly label: string;
  readonly recipe: string;
  readonly accuracy: number;
  readonly acev2: number;
  /** A point of the accuracy-vs-ACEv2 plot: each recipe on the weights trained for it. */
  readonly primary: boolean;
}

const find = (label: string): Recipe => VARIANTS.find((v) => v.label === label)!.recipe;

function main(args: readonly string[]): void {
  const i = args.indexOf('--count');
  const count = i >= 0 ? Number(args[i + 1]) : undefined;
  const t0 = performance.now();
  const nets: Record<WeightsName, FloatNetwork> = {
    'float-trained': loadTrained(PREQUANT_FILE),
    'qat-pikelpn': loadTrained(TRAINED_FILE),
    'qat-conventional4': loadTrained(CONVENTIONAL4_FILE),
  };
  const data = heldOut(count);
  const rows: EvaluationRow[] = [];
  const add = (weights: WeightsName, label: string, recipe: Recipe, accuracy: number, primary = false): void => {
    rows.push({ weights, label, recipe: recipe.name, accuracy, acev2: tallyNetwork(nets[weights], recipe).acev2, primary });
    console.log(`${weights.padEnd(18)} ${label}: ${accuracy.toFixed(2)}%`);
  };
  const int = (weights: WeightsName, label: string, primary = false): void => {
    const recipe = find(label);
    add(weights, label, recipe, intAccuracy(compile(nets[weights], recipe).net, data), primary);
  };
  // Each recipe on the weights trained for it (the plot's points).
  add('float-trained', 'float32', RECIPES.float32, floatAccuracy(nets['float-trained'], data), true);
  int('float-trained', 'tflite8', true);
  int('qat-conventional4', 'conventional4', true);
  int('qat-pikelpn', 'pikelpn', true);
  // pikelpn ablations on pikelpn's QAT weights; DHQ off also on the weights trained for per-channel max.
  int('qat-pikelpn', 'pikelpn, no QuantNorm');
  int('qat-pikelpn', 'pikelpn, no Double Quantization');
  int('qat-pikelpn', 'pikelpn, no DHQ');
  int('qat-conventional4', 'pikelpn, no DHQ');
  // Cross-checks: post-training quantization, and each QAT network under the other's weight quantizer.
  int('float-trained', 'conventional4');
  int('float-trained', 'pikelpn');
  int('qat-conventional4', 'pikelpn');
  int('qat-pikelpn', 'conventional4');
  int('qat-pikelpn', 'tflite8');
  add('qat-pikelpn', 'float32 (QAT weights, no activation clipping)', RECIPES.float32, floatAccuracy(nets['qat-pikelpn'], data));
  add('qat-pikelpn', 'float32 (QAT weights, clipped at outputRange)', RECIPES.float32, floatAccuracy(nets['qat-pikelpn'], data, true));

  const dhq = { 'float-trained': dhqRows(nets['float-trained']), 'qat-pikelpn': dhqRows(nets['qat-pikelpn']) };
  const source = `pikehdl src/train/evaluate.ts: ${data.count} held-out digits of the seeded split of the mnist package (runFloat / bit-exact runInt); each recipe on the weights trained for it`;
  const points = rows.filter((r) => r.primary).map((r) => ({ network: nets[r.weights].name, recipe: r.recipe, top1: Math.round(r.accuracy * 100) / 100, source }));
  writeAtomic(ACCURACY_FILE, `${JSON.stringify({ format: 'pikehdl-accuracy', version: 1, points }, null, 2)}\n`);
  writeAtomic(EVALUATION_FILE, `${JSON.stringify({ count: data.count, rows, dhq }, null, 2)}\n`);

  const e = (x: number): string => x.toExponential(2);
  console.log('\n| weights | model | top-1 (%) | ACEv2 |\n|---|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.weights} | ${r.primary ? `**${r.label}**` : r.label} | ${r.accuracy.toFixed(2)} | ${r.acev2.toExponential(3)} |`);
  for (const [w, list] of Object.entries(dhq)) {
    console.log(`\nDHQ on ${w} weights, 4 bits (NMSE = weight error; out-err = dhq.ts expected output error)`);
    console.log('| layer | family | DHQ choice | NMSE DHQ | NMSE per-ch max | NMSE per-tensor max | out-err DHQ | out-err per-ch max | out-err per-tensor max |\n|---|---|---|---:|---:|---:|---:|---:|---:|');
    for (const d of list) {
      console.log(`| ${d.layer} | ${d.family} | ${d.chosen.granularity} ${d.chosen.clipping} | ${e(d.dhq.nmse)} | ${e(d.perChannelMax.nmse)} | ${e(d.perTensorMax.nmse)} | ${e(d.dhq.outputError)} | ${e(d.perChannelMax.outputError)} | ${e(d.perTensorMax.outputError)} |`);
    }
  }
  console.log(`\nevaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s; wrote ${ACCURACY_FILE}, ${EVALUATION_FILE}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
