/**
 * The trained family of issue 14: mnistTiny's separable architecture at
 * several width multipliers and seeds, each trained float, then QAT for
 * pikelpn and for conventional4. This file holds the recipe of the run (one
 * frozen config), where each model's files live, and which stages of a
 * model are finished, so the driver (family.ts) can resume and the results
 * script (results.ts) can read whatever exists.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mnistSeparableName } from '../networks/mnistSeparable.ts';
import { DEFAULT_AUGMENT, type AugmentConfig } from './augment.ts';
import type { SelectBestConfig } from './bestStep.ts';
import type { DistillConfig } from './distill.ts';

export const FAMILY_DIR = join('models', 'family');

export interface FamilyConfig {
  readonly batch: number;
  readonly floatEpochs: number;
  readonly floatLr: number;
  readonly warmupEpochs: number;
  readonly qatEpochs: number;
  readonly qatLr: number;
  readonly frozenBnEpochs: number;
  readonly weightDecay: number;
  readonly calibrationCount: number;
  readonly augment: AugmentConfig;
  /** The width whose pikelpn ablations are evaluated (every seed of it). */
  readonly ablationWidth: number;
  /** pikelpn QAT's forward pass is the compiled integer network (src/train/integerQat.ts), not float batch norm + activation rounding. */
  readonly pikelpnIntegerRequant: boolean;
  /** pikelpn QAT: DHQ's weight-scheme choice is frozen for the last this-many epochs and recorded in the network file (dhqScheme). */
  readonly dhqFreezeEpochs: number;
  /** Both QATs keep the frozen-batch-norm epochs' best state by loss on the first `digits` training digits, scored every `everySteps` steps (bestStep.ts). */
  readonly selectBest: SelectBestConfig;
  /** Both QATs also learn from the model's own float checkpoint's softened outputs (distill.ts); null: plain cross-entropy. */
  readonly distill: DistillConfig | null;
}

export const FAMILY_CONFIG: FamilyConfig = Object.freeze({
  batch: 32,
  floatEpochs: 20,
  floatLr: 3e-3,
  warmupEpochs: 1,
  qatEpochs: 8,
  qatLr: 5e-4,
  frozenBnEpochs: 3,
  weightDecay: 1e-4,
  calibrationCount: 512,
  augment: DEFAULT_AUGMENT,
  ablationWidth: 1,
  pikelpnIntegerRequant: true,
  dhqFreezeEpochs: 3,
  selectBest: Object.freeze({ digits: 1000, everySteps: 25 }),
  // LSQ's distillation (Esser et al., 2020, "Learned Step Size Quantization", section 3: equal
  // weights on the label and the teacher terms, temperature 1), taken as published: nothing was
  // tuned, there being no validation split. Adopted after the experiment of docs/results.md
  // ("Without distillation") met the 0.5x and widest-model targets the plain loss had missed.
  distill: Object.freeze({ weight: 0.5, temperature: 1 }),
});


/**
 * Which pikelpn QAT a qat-pikelpn stage log was trained with: 'integer' (the
 * current one: integer requantizer in the forward pass, DHQ choice frozen and
 * recorded), or, in logs without the field, the earlier 'fake-quant' (float
 * batch norm, activation rounding only, DHQ re-chosen by compile).
 */
export type PikelpnQat = 'integer' | 'fake-quant';
export const CURRENT_PIKELPN_QAT: PikelpnQat = 'integer';
/** The QAT a stage log or record names; absent (logs and records from before the integer QAT) means 'fake-quant'. */
export const pikelpnQatOrOld = (qat: PikelpnQat | undefined): PikelpnQat => qat ?? 'fake-quant';

/**
 * Widths in the order they are trained: the baseline width first, then the cheap one, then the wide
 * ones (4x was added after the others, for the widest-model target: 2x pikelpn stopped at 97.97%).
 */
export const FAMILY_WIDTHS: readonly number[] = Object.freeze([1, 0.5, 2, 4]);
export const FAMILY_SEEDS: readonly number[] = Object.freeze([0, 1, 2]);

export interface Job {
  readonly width: number;
  readonly seed: number;
}

/** Seed-major: every width of seed 0 before any second seed (the most informative models first). */
export function planJobs(widths: readonly number[], seeds: readonly number[]): Job[] {
  return seeds.flatMap((seed) => widths.map((width) => ({ width, seed })));
}

export const jobId = (j: Job): string => `${mnistSeparableName(j.width)}-s${j.seed}`;

export type Stage = 'float' | 'qat-pikelpn' | 'qat-conventional4' | 'evaluate';
export const STAGES: readonly Stage[] = Object.freeze(['float', 'qat-pikelpn', 'qat-conventional4', 'evaluate']);

/** The network file a training stage writes (evaluate writes only the record). */
export const STAGE_NETWORK: Readonly<Record<Exclude<Stage, 'evaluate'>, string>> = {
  float: 'prequant.float.json',
  'qat-pikelpn': 'pikelpn.float.json',
  'qat-conventional4': 'conventional4.float.json',
};

export const jobDir = (root: string, j: Job): string => join(root, jobId(j));
/** The stage's log (epochs, seconds, accuracies): written before its network file, so the network file marks a finished stage. */
export const stageLogPath = (root: string, j: Job, stage: Stage): string => join(jobDir(root, j), `${stage}.log.json`);
export const stageNetworkPath = (root: string, j: Job, stage: Exclude<Stage, 'evaluate'>): string => join(jobDir(root, j), STAGE_NETWORK[stage]);
/** The unfinished stage's state after its last epoch (train.ts PhaseCheckpoint); removed when the stage finishes. */
export const checkpointPath = (root: string, j: Job, stage: Exclude<Stage, 'evaluate'>): string => join(jobDir(root, j), `${stage}.checkpoint.json`);
/** Written last: its presence means the model is trained and evaluated. */
export const recordPath = (root: string, j: Job): string => join(jobDir(root, j), 'record.json');
/** An evaluation of an unfinished model's finished stages (family.ts --evaluate-partial); never marks anything finished. */
export const partialRecordPath = (root: string, j: Job): string => join(jobDir(root, j), 'partial-record.json');

export function stageDone(root: string, j: Job, stage: Stage): boolean {
  if (stage === 'evaluate') return existsSync(recordPath(root, j));
  return existsSync(stageLogPath(root, j, stage)) && existsSync(stageNetworkPath(root, j, stage));
}

/**
 * Give `root`'s model `j` the float stage finished in family directory
 * `from` (its log, then its network file, which marks the stage finished),
 * so a QAT experiment starts from the same float checkpoint. False when
 * `root` already has one; throws when `from` has none.
 */
export function copyFloatStage(from: string, root: string, j: Job): boolean {
  if (stageDone(root, j, 'float')) return false;
  if (!stageDone(from, j, 'float')) throw new RangeError(`--float-from: ${jobId(j)} has no finished float stage in ${from}`);
  writeAtomic(stageLogPath(root, j, 'float'), readFileSync(stageLogPath(from, j, 'float'), 'utf8'));
  writeAtomic(stageNetworkPath(root, j, 'float'), readFileSync(stageNetworkPath(from, j, 'float'), 'utf8'));
  return true;
}

/**
 * Write a file so that it either exists complete or not at all: write a
 * temporary file beside it, then rename (atomic on one file system). An
 * interrupted run leaves at most a *.tmp file, which no reader looks at.
 */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Parse "0.5,1,2" into positive numbers; `what` names the option in the error. */
export function parseNumberList(text: string, what: string, integer: boolean): number[] {
  const out = text.split(',').map((s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new RangeError(`${what}: "${s}" is not a ${integer ? 'non-negative integer' : 'positive number'}`);
    }
    return n;
  });
  if (out.length === 0) throw new RangeError(`${what}: empty list`);
  return out;
}
