/**
 * How much the integer pikelpn network's accuracy moves from one training
 * step to the next at the end of the integer QAT: replays one family model's
 * qat-pikelpn stage exactly as family.ts trains it (same config, seed and
 * data; deterministic, so the final weights equal the stage's file) and, in
 * the last QAT epoch, measures the training model's integer accuracy (the
 * compiled network's, integerQat.ts) on the first `--digits` training digits
 * every `--every` steps and after each of the last three steps.
 *
 *   npx tsx src/train/lastEpochJitter.ts --model mnist_sep_w0p5-s1 [--digits 200] [--every 25]
 *
 * Training digits only: nothing here looks at the held-out digits. Takes as
 * long as the stage (a few minutes at 0.5x).
 */
import { readFileSync } from 'node:fs';
import { parseFloatNetwork } from '../model/index.ts';
import { RECIPES, type WeightScheme } from '../quant/index.ts';
import { loadSamples, makeSplit } from './dataset.ts';
import { FAMILY_CONFIG as cfg, FAMILY_DIR, FAMILY_SEEDS, FAMILY_WIDTHS, jobId, stageNetworkPath, type Job } from './familyConfig.ts';
import { integerPlan } from './integerQat.ts';
import { accuracy, modelFromNetwork, toFloatNetwork, trainPhaseControlled } from './train.ts';

function main(args: readonly string[]): number {
  const arg = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const id = arg('--model') ?? '';
  const job: Job | undefined = FAMILY_WIDTHS.flatMap((width) => FAMILY_SEEDS.map((seed) => ({ width, seed }))).find((j) => jobId(j) === id);
  const digits = Number(arg('--digits') ?? 200);
  const every = Number(arg('--every') ?? 25);
  if (job === undefined || !Number.isInteger(digits) || digits < 1 || !Number.isInteger(every) || every < 1) {
    console.error(`lastEpochJitter: --model must name a family model (e.g. ${jobId({ width: 0.5, seed: 1 })}), --digits and --every positive integers`);
    return 2;
  }
  const split = makeSplit();
  const trainSet = loadSamples(split.train);
  const probe = loadSamples(split.train.slice(0, digits));
  const path = stageNetworkPath(FAMILY_DIR, job, 'float');
  const m = modelFromNetwork(parseFloatNetwork(readFileSync(path, 'utf8'), path), Math.max(cfg.batch, 100));
  const plan = integerPlan(toFloatNetwork(m), RECIPES.pikelpn);
  let frozen: Map<string, WeightScheme> | undefined;
  const seen: number[] = [];
  trainPhaseControlled(m, trainSet, {
    seed: job.seed + 1, batch: cfg.batch, weightDecay: cfg.weightDecay, augment: cfg.augment, epochs: cfg.qatEpochs, lr: cfg.qatLr, qat: 'pikelpn',
    frozenBnEpochs: cfg.frozenBnEpochs, integerRequant: true, freezeSchemeEpochs: cfg.dhqFreezeEpochs,
  }, {
    save: (c) => {
      if (c.frozenSchemes) frozen = new Map(Object.entries(c.frozenSchemes));
    },
  }, (e) => console.log(`${id} epoch ${e.epoch} (${e.phase}): loss ${e.loss.toFixed(4)}, training accuracy ${e.trainAccuracy.toFixed(2)}%`), (epoch, step, steps) => {
    if (epoch !== cfg.qatEpochs - 1 || frozen === undefined || (step % every !== 0 && step < steps - 2)) return;
    const a = accuracy(m, probe, 'pikelpn', { schemes: frozen, integer: plan });
    seen.push(a);
    console.log(`  last epoch, after step ${step}/${steps}: integer accuracy on ${digits} training digits ${a.toFixed(2)}%`);
  });
  console.log(`${id}: over ${seen.length} measurements in the last epoch, ${Math.min(...seen).toFixed(2)}-${Math.max(...seen).toFixed(2)}%; after the final step ${seen[seen.length - 1]?.toFixed(2) ?? '-'}%`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
