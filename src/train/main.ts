/**
 * Train mnistTiny and write, in src/networks/trained/:
 *   mnist_tiny.prequant.float.json      after the float phase only: the float32
 *                                       baseline and the input of tflite8 (8-bit PTQ)
 *   mnist_tiny.float.json               QAT for pikelpn (DHQ's weight schemes)
 *   mnist_tiny.conventional4.float.json QAT for conventional4 (per-channel max)
 *   mnist_tiny.train.json               the split's seed and digests, the config,
 *                                       every epoch's log and the measured times
 * Both QAT phases start from the same float checkpoint. Every file holds
 * latent float weights, running batch-norm statistics and the calibrated
 * activation clipping values as each layer's outputRange, and is checked with
 * the project's parseFloatNetwork before it is written.
 *
 *   npx tsx src/train/main.ts [--float-epochs N] [--qat-epochs N] [--frozen-bn N] [--seed N] [--out DIR]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFloatNetwork } from '../model/index.ts';
import { DEFAULT_SPLIT, loadSamples, makeSplit, splitDigest } from './dataset.ts';
import { writeAtomic } from './familyConfig.ts';
import {
  DEFAULT_TRAIN_CONFIG, accuracy, calibrateClips, createModel, modelFromNetwork, toFloatNetwork, trainPhase, type EpochLog, type QatTarget, type TrainConfig,
} from './train.ts';

export const TRAINED_DIR = join('src', 'networks', 'trained');
export const QAT_FILES: Readonly<Record<QatTarget, string>> = { pikelpn: 'mnist_tiny.float.json', conventional4: 'mnist_tiny.conventional4.float.json' };
export const PREQUANT_NAME = 'mnist_tiny.prequant.float.json';

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function intArg(args: readonly string[], name: string, dflt: number): number {
  const v = argValue(args, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name}: expected a non-negative integer, got "${v}"`);
  return n;
}

const printEpoch = (e: EpochLog): void => {
  console.log(`${e.phase.padEnd(28)} epoch ${String(e.epoch).padStart(2)} lr ${e.lr.toExponential(2)} loss ${e.loss.toFixed(4)} train ${e.trainAccuracy.toFixed(2)}% ${e.seconds.toFixed(1)} s`);
};

function main(args: readonly string[]): void {
  const cfg: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    seed: intArg(args, '--seed', DEFAULT_TRAIN_CONFIG.seed),
    floatEpochs: intArg(args, '--float-epochs', DEFAULT_TRAIN_CONFIG.floatEpochs),
    qatEpochs: intArg(args, '--qat-epochs', DEFAULT_TRAIN_CONFIG.qatEpochs),
    frozenBnEpochs: intArg(args, '--frozen-bn', DEFAULT_TRAIN_CONFIG.frozenBnEpochs),
  };
  const outDir = argValue(args, '--out') ?? TRAINED_DIR;
  mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  const split = makeSplit();
  const trainSet = loadSamples(split.train);
  const testSet = loadSamples(split.test);
  const seconds: Record<string, number> = { loadData: (performance.now() - t0) / 1000 };
  const phase = { seed: cfg.seed, batch: cfg.batch, weightDecay: cfg.weightDecay };
  const maxBatch = Math.max(cfg.batch, 100);
  const logs: EpochLog[] = [];
  const heldOut: Record<string, number> = {};

  let t = performance.now();
  const model = createModel(cfg.seed, maxBatch);
  logs.push(...trainPhase(model, trainSet, { ...phase, epochs: cfg.floatEpochs, lr: cfg.floatLr, qat: null, frozenBnEpochs: 0 }, printEpoch));
  calibrateClips(model, trainSet, cfg.calibrationCount);
  const prequantText = `${JSON.stringify(toFloatNetwork(model))}\n`;
  const prequant = parseFloatNetwork(prequantText, 'float-trained mnist_tiny');
  writeAtomic(join(outDir, PREQUANT_NAME), prequantText);
  seconds.float = (performance.now() - t) / 1000;
  heldOut.float = accuracy(model, testSet, null);
  console.log(`float phase: ${seconds.float.toFixed(1)} s; held-out float ${heldOut.float.toFixed(2)}% (logged only: nothing is selected on it)`);

  for (const target of ['pikelpn', 'conventional4'] as const) {
    t = performance.now();
    const m = modelFromNetwork(prequant, maxBatch);
    logs.push(...trainPhase(m, trainSet, { ...phase, seed: cfg.seed + 1, epochs: cfg.qatEpochs, lr: cfg.qatLr, qat: target, frozenBnEpochs: cfg.frozenBnEpochs }, printEpoch));
    const text = `${JSON.stringify(toFloatNetwork(m))}\n`;
    parseFloatNetwork(text, `QAT (${target}) mnist_tiny`);
    writeAtomic(join(outDir, QAT_FILES[target]), text);
    seconds[`qat-${target}`] = (performance.now() - t) / 1000;
    heldOut[`fake-quantized ${target}`] = accuracy(m, testSet, target);
    console.log(`QAT ${target}: ${seconds[`qat-${target}`]!.toFixed(1)} s; held-out fake-quantized ${heldOut[`fake-quantized ${target}`]!.toFixed(2)}%`);
  }
  seconds.total = (performance.now() - t0) / 1000;
  const record = {
    format: 'pikehdl-training-record',
    network: 'mnist_tiny',
    split: { package: 'mnist', seed: split.seed, train: split.train.length, test: split.test.length, sha256: splitDigest(split), default: DEFAULT_SPLIT },
    config: cfg,
    epochs: logs,
    seconds,
    heldOut,
    node: process.version,
  };
  writeAtomic(join(outDir, 'mnist_tiny.train.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`total ${seconds.total.toFixed(1)} s; wrote ${outDir}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // A refusal (a bad option) is one line; anything else is a bug and keeps its stack.
  if (!(e instanceof RangeError)) throw e;
  console.error(`train: ${e.message}`);
  process.exitCode = 2;
}
