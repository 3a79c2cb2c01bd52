/**
 * Train and evaluate the family (issue 14) in one resumable command:
 *
 *   npx tsx src/train/family.ts [--widths 1,0.5,2] [--seeds 0,1,2] [--out models/family] [--plan]
 *
 * For every (width, seed), seed-major: a float phase with augmentation, then
 * QAT for pikelpn and for conventional4 from that checkpoint, then the
 * held-out evaluation with the bit-exact integer runInt. Each stage writes
 * its log and then its network file atomically (familyConfig.ts), and a
 * finished stage is never run again: an interrupted run resumes at the first
 * unfinished stage, and a resumed model equals an uninterrupted one (the QAT
 * phases always start from the float checkpoint as read back from its file).
 * Every phase also saves a checkpoint after each epoch
 * (<stage>.checkpoint.json), so a stage interrupted mid-way (or stopped by
 * --deadline between epochs) resumes at its last epoch, bit-identically.
 * `--plan` prints what is done and what is left, and trains nothing.
 * `--evaluate-partial` trains nothing and evaluates every unfinished model
 * whose float phase is done, on the stages it has (partial-record.json).
 * `--deadline <ISO time>` starts no epoch that would not end by then (going
 * by the previous epoch, or for a stage's first epoch by the stage's time at
 * this width or scaled from another); the run then stops cleanly between
 * epochs, resumable from the checkpoint.
 * `--distill <weight>,<temperature>` (or `none`) trains both QATs with knowledge
 * distillation from the model's own float checkpoint (distill.ts) instead of
 * the recipe's FAMILY_CONFIG.distill; a QAT stage finished with another
 * distillation is refused unless `--redo qat` retrains it (use another
 * `--out` to keep the family's models).
 * `--float-from <dir>` starts each model without a float stage from the one
 * finished in another family directory (its log and network file, copied), so
 * a QAT experiment in its own `--out` retrains no float phase.
 * `--redo qat-pikelpn` retrains every selected model's qat-pikelpn stage
 * that the current pikelpn QAT did not train (its log has no `qat:
 * "integer"`, or no best-step `selection`), from the unchanged float
 * checkpoint, and re-evaluates the model; `--redo qat` does the same for
 * both QAT stages (conventional4's when its log has no `selection`). The old stage log, network file and record stay until the new ones
 * replace them (so a redo stopped by the deadline leaves the old model
 * whole), an interrupted redo resumes from its epoch checkpoint like any
 * run, and a finished one is never redone.
 * A progress bar (a plain line every fifth of an epoch when not on a
 * terminal) and a line per epoch go to stdout.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { parseFloatNetwork, type FloatNetwork } from '../model/index.ts';
import type { WeightScheme } from '../quant/index.ts';
import { mnistSeparable } from '../networks/mnistSeparable.ts';
import { DEFAULT_SPLIT, loadSamples, makeSplit, splitDigest, type Samples } from './dataset.ts';
import {
  FAMILY_CONFIG, FAMILY_DIR, type FamilyConfig, copyFloatStage, checkpointPath, FAMILY_SEEDS, FAMILY_WIDTHS, STAGES, jobDir, jobId, parseNumberList, partialRecordPath, planJobs, recordPath, stageDone, stageLogPath, stageNetworkPath,
  writeAtomic, CURRENT_PIKELPN_QAT, pikelpnQatOrOld, type Job, type PikelpnQat, type Stage,
} from './familyConfig.ts';
import { evaluateFamilyMember, type FamilyWeights } from './familyEvaluate.ts';
import type { SelectionLog } from './bestStep.ts';
import { distillConfigError, type DistillConfig } from './distill.ts';
import { QAT_STAGES, type QatStage, type RecordFacts, type Redo, distillMismatch, recordIsStale, redoesStage, stagesToRun } from './familyStale.ts';
import {
  accuracy, calibrateClips, createModel, modelFromNetwork, toFloatNetwork, trainPhaseControlled, weightSchemes, type EpochLog, type PhaseCheckpoint, type PhaseControl, type PhaseResult, type QatTarget,
} from './train.ts';

interface StageLog {
  readonly stage: Stage;
  readonly seconds: number;
  readonly epochs: readonly EpochLog[];
  /** The training model's own held-out accuracy (float, or fake-quantized): logged only, nothing is selected on it. */
  readonly heldOutTrainingModel?: number;
  /** pikelpn QAT: the weight schemes compile uses (recorded in the file as dhqScheme when frozen; else DHQ's choice from the final weights). */
  readonly finalSchemes?: Readonly<Record<string, string>>;
  /** pikelpn QAT: what DHQ would choose from the final weights (differs from finalSchemes only where the recorded choice overrides it). */
  readonly rechosenSchemes?: Readonly<Record<string, string>>;
  /** qat-pikelpn: which QAT trained it (familyConfig.ts PikelpnQat); absent in logs from before the integer QAT. */
  readonly qat?: PikelpnQat;
  /** QAT: the best-step selection (bestStep.ts): every scored state and the one kept; absent in logs from before it. */
  readonly selection?: SelectionLog;
  /** QAT: the distillation it trained with (null: none); absent in logs from before distillation existed. */
  readonly distill?: DistillConfig | null;
}



function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;
const fmtTime = (s: number): string => (s >= 90 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

/** A text progress bar over one model's epochs: redrawn in place on a terminal, a plain line every fifth of an epoch otherwise. */
class Bar {
  readonly #tty = process.stdout.isTTY === true;
  #t0 = performance.now();
  #done = 0;
  constructor(readonly label: string, readonly totalEpochs: number) {}
  startStage(): void {
    this.#t0 = performance.now();
  }
  update(stage: string, epochInStage: number, epochsInStage: number, step: number, steps: number, epochsBefore: number): void {
    const tty = this.#tty;
    if (!tty && step % Math.max(1, Math.floor(steps / 5)) !== 0) return;
    const frac = (epochsBefore + epoch(epochInStage, step, steps)) / this.totalEpochs;
    const width = 30;
    const filled = Math.min(width, Math.round(frac * width));
    const stageFrac = epoch(epochInStage, step, steps) / epochsInStage;
    const eta = stageFrac > 0 ? (seconds(this.#t0) * (1 - stageFrac)) / stageFrac : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${stage} epoch ${epochInStage + 1}/${epochsInStage} step ${step}/${steps} (stage ETA ${fmtTime(eta)})`;
    if (tty) process.stdout.write(`\r${line}\x1b[K`);
    else console.log(line);
    this.#done = frac;
  }
  /** End the in-place line before a normal line is printed. */
  clear(): void {
    if (this.#tty) process.stdout.write('\r\x1b[K');
  }
  get done(): number {
    return this.#done;
  }
}

function epoch(e: number, step: number, steps: number): number {
  return e + step / steps;
}

function readNet(path: string): FloatNetwork {
  return parseFloatNetwork(readFileSync(path, 'utf8'), path);
}

function readStageLog(root: string, job: Job, stage: Stage): StageLog {
  return JSON.parse(readFileSync(stageLogPath(root, job, stage), 'utf8')) as StageLog;
}

/**
 * The longest time `stage` took for `width` in the finished stage logs under
 * root. A width never measured is estimated from another measured width w0,
 * scaled by r = width / w0 as max(r, r^2) (pointwise cost grows with the
 * square of the width, the rest about linearly): an upper-bound guess.
 * Undefined when the stage was never measured at any width.
 */
function estimatedSeconds(root: string, width: number, stage: Stage, jobs: readonly Job[]): number | undefined {
  if (stage === 'evaluate') return undefined;
  const worst = new Map<number, number>();
  for (const j of jobs) {
    if (!stageDone(root, j, stage)) continue;
    worst.set(j.width, Math.max(worst.get(j.width) ?? 0, readStageLog(root, j, stage).seconds));
  }
  const own = worst.get(width);
  if (own !== undefined) return own;
  // This width's float phase against another width's: the measured cost ratio, the best guess for its QAT phases.
  if (stage !== 'float') {
    const floats = new Map<number, number>();
    for (const j of jobs) if (stageDone(root, j, 'float')) floats.set(j.width, Math.max(floats.get(j.width) ?? 0, readStageLog(root, j, 'float').seconds));
    const mine = floats.get(width);
    for (const [w0, s] of worst) {
      const f0 = floats.get(w0);
      if (mine !== undefined && f0 !== undefined && f0 > 0) return (s * mine) / f0;
    }
  }
  let guess: number | undefined;
  for (const [w0, s] of worst) {
    const r = width / w0;
    guess = Math.max(guess ?? 0, s * Math.max(r, r * r));
  }
  return guess;
}

class DeadlineReached extends Error {}

/**
 * Run one training phase with epoch checkpoints: resume from the stage's
 * checkpoint if there is one (else check first that the stage fits the
 * deadline), save a checkpoint after every epoch, and stop between epochs
 * when the next would overrun the deadline (DeadlineReached).
 * `before` is the seconds spent in earlier runs of this stage.
 */
function runPhase(root: string, job: Job, stage: Exclude<Stage, 'evaluate'>, fits: (stage: Stage) => void, stopBefore: (epoch: number, last: number) => boolean,
  train: (control: PhaseControl) => PhaseResult): { epochs: EpochLog[]; before: number; result: PhaseResult } {
  const cp = checkpointPath(root, job, stage);
  const resume = existsSync(cp) ? (JSON.parse(readFileSync(cp, 'utf8')) as PhaseCheckpoint) : undefined;
  if (resume === undefined) fits(stage);
  else console.log(`${jobId(job)} ${stage}: resuming after epoch ${resume.epochsDone} from ${cp}`);
  const before = resume === undefined ? 0 : resume.logs.reduce((a, e) => a + e.seconds, 0);
  const r = train({ ...(resume ? { resume } : {}), save: (c) => writeAtomic(cp, `${JSON.stringify(c)}\n`), stopBefore });
  if (r.stopped) throw new DeadlineReached(`family: ${jobId(job)} ${stage} stopped after epoch ${r.logs.length} for the deadline; its checkpoint ${cp} resumes it`);
  return { epochs: r.logs, before, result: r };
}

/** The finished QAT stages' logs (the facts familyStale.ts decides on). */
function qatLogs(root: string, job: Job): Partial<Record<QatStage, StageLog>> {
  return Object.fromEntries(QAT_STAGES.filter((s) => stageDone(root, job, s)).map((s) => [s, readStageLog(root, job, s)]));
}

function runJob(cfg: FamilyConfig, root: string, job: Job, trainSet: Samples, selectSet: Samples, testSet: Samples, index: number, count: number, fits: (stage: Stage) => void, stopBefore: (epoch: number, last: number) => boolean, redo: Redo): void {
  const id = jobId(job);
  const arch = mnistSeparable(job.width);
  const maxBatch = Math.max(cfg.batch, 100);
  // QAT models score the best-step candidates in batches of this many (fewer integer fits per score).
  const qatMaxBatch = 250;
  const phase = { seed: job.seed, batch: cfg.batch, weightDecay: cfg.weightDecay, augment: cfg.augment };
  // --redo: a QAT stage from an earlier QAT is redone (and the model re-evaluated); its files
  // stay until the new ones replace them, so a redo stopped early leaves the old model whole.
  const logs = qatLogs(root, job);
  const mixed = distillMismatch(logs, redo, cfg.distill);
  if (mixed.length > 0) throw new RangeError(`its ${mixed.join(' and ')} ${mixed.length === 1 ? 'stage was' : 'stages were'} trained with distillation ${distillText(logs[mixed[0]!]?.distill)}, this run uses ${distillText(cfg.distill)}: pass --redo qat to retrain ${mixed.length === 1 ? 'it' : 'them'}, or another --out`);
  const stale = QAT_STAGES.filter((s) => redoesStage(s, logs[s], redo, cfg.distill));
  for (const s of stale) console.log(`${jobId(job)}: --redo ${redo}: its ${s} stage is from an earlier QAT (${s === 'qat-pikelpn' ? `${pikelpnQatOf(root, job)}, ` : ''}${readStageLog(root, job, s).selection ? 'with' : 'without'} best-step selection, distillation ${distillText(readStageLog(root, job, s).distill)}); retraining it and re-evaluating (the old files stay until then)`);
  // A record evaluated on other QAT stages than those on disk (a redo stopped between training and evaluation) is redone too.
  const record = stageDone(root, job, 'evaluate') ? (JSON.parse(readFileSync(recordPath(root, job), 'utf8')) as RecordFacts) : undefined;
  const todo = stagesToRun((s) => stageDone(root, job, s), stale, recordIsStale(record, logs));
  const epochsOf = (s: Stage): number => (s === 'float' ? cfg.floatEpochs : s === 'evaluate' ? 0 : cfg.qatEpochs);
  const bar = new Bar(`[${index + 1}/${count}] ${id}`, Math.max(1, todo.reduce((a, s) => a + epochsOf(s), 0)));
  console.log(`== ${id} (model ${index + 1} of ${count}): ${todo.length === 0 ? 'finished' : `stages to run: ${todo.join(', ')}`}`);
  let epochsBefore = 0;
  const printEpoch = (e: EpochLog): void => {
    bar.clear();
    console.log(`${id} ${e.phase.padEnd(26)} epoch ${String(e.epoch).padStart(2)} lr ${e.lr.toExponential(2)} loss ${e.loss.toFixed(4)} train ${e.trainAccuracy.toFixed(2)}% ${e.seconds.toFixed(1)} s`);
  };

  if (todo.includes('float')) {
    const t0 = performance.now();
    bar.startStage();
    const model = createModel(job.seed, maxBatch, arch);
    const { epochs, before } = runPhase(root, job, 'float', fits, stopBefore, (control) =>
      trainPhaseControlled(model, trainSet, { ...phase, epochs: cfg.floatEpochs, lr: cfg.floatLr, warmupEpochs: cfg.warmupEpochs, qat: null, frozenBnEpochs: 0 }, control, printEpoch,
        (e, s, n) => bar.update('float', e, cfg.floatEpochs, s, n, epochsBefore)));
    calibrateClips(model, trainSet, cfg.calibrationCount);
    const text = `${JSON.stringify(toFloatNetwork(model))}\n`;
    parseFloatNetwork(text, `float-trained ${id}`);
    const heldOut = accuracy(model, testSet, null);
    const log: StageLog = { stage: 'float', seconds: before + seconds(t0), epochs, heldOutTrainingModel: heldOut };
    writeAtomic(stageLogPath(root, job, 'float'), `${JSON.stringify(log, null, 2)}\n`);
    writeAtomic(stageNetworkPath(root, job, 'float'), text);
    rmSync(checkpointPath(root, job, 'float'), { force: true });
    bar.clear();
    console.log(`${id} float phase: ${fmtTime(log.seconds)}; held-out float ${heldOut.toFixed(2)}% (logged only)`);
    epochsBefore += cfg.floatEpochs;
  }

  for (const target of ['pikelpn', 'conventional4'] as const satisfies readonly QatTarget[]) {
    const stage: Stage = `qat-${target}`;
    if (!todo.includes(stage)) continue;
    const t0 = performance.now();
    bar.startStage();
    const prequant = readNet(stageNetworkPath(root, job, 'float'));
    const m = modelFromNetwork(prequant, qatMaxBatch);
    const integerQat = target === 'pikelpn' && cfg.pikelpnIntegerRequant;
    // The teacher is the float checkpoint the QAT starts from, run as float (running batch-norm statistics).
    const distill = cfg.distill ? { ...cfg.distill, teacher: modelFromNetwork(prequant, cfg.batch) } : undefined;
    const { epochs, before, result } = runPhase(root, job, stage, fits, stopBefore, (control) =>
      trainPhaseControlled(m, trainSet, {
        ...phase, seed: job.seed + 1, epochs: cfg.qatEpochs, lr: cfg.qatLr, qat: target, frozenBnEpochs: cfg.frozenBnEpochs,
        ...(integerQat ? { integerRequant: true, freezeSchemeEpochs: cfg.dhqFreezeEpochs } : {}),
        selectBest: { ...cfg.selectBest, samples: selectSet },
        ...(distill ? { distill } : {}),
      }, control, printEpoch,
        (e, s, n) => bar.update(stage, e, cfg.qatEpochs, s, n, epochsBefore)));
    // The integer QAT records its frozen DHQ choice in the file, so compile uses the scheme it trained with.
    const recorded = integerQat ? result.schemes : undefined;
    const text = `${JSON.stringify(toFloatNetwork(m, recorded))}\n`;
    parseFloatNetwork(text, `QAT (${target}) ${id}`);
    // The training model as trained; with the integer QAT this is the compiled network's accuracy exactly.
    const heldOut = accuracy(m, testSet, target, { ...(recorded ? { schemes: recorded } : {}), ...(integerQat && result.integer ? { integer: result.integer } : {}) });
    const labels = (sc: ReadonlyMap<string, WeightScheme>): Record<string, string> =>
      Object.fromEntries([...sc].filter(([name]) => m.nodes.some((n) => n.name === name && (n.type === 'depthwise' || n.type === 'pointwise'))).map(([k, v]) => [k, `${v.granularity} ${v.clipping}`]));
    const rechosen = target === 'pikelpn' ? labels(weightSchemes(m, 'pikelpn')) : undefined;
    const finalSchemes = recorded ? labels(recorded) : rechosen;
    const log: StageLog = {
      stage, seconds: before + seconds(t0), epochs, heldOutTrainingModel: heldOut,
      ...(finalSchemes ? { finalSchemes } : {}), ...(recorded && rechosen ? { rechosenSchemes: rechosen } : {}), ...(integerQat ? { qat: CURRENT_PIKELPN_QAT } : {}),
      ...(result.selection ? { selection: result.selection } : {}),
      distill: cfg.distill,
    };
    writeAtomic(stageLogPath(root, job, stage), `${JSON.stringify(log, null, 2)}\n`);
    writeAtomic(stageNetworkPath(root, job, stage), text);
    rmSync(checkpointPath(root, job, stage), { force: true });
    bar.clear();
    const sel = result.selection;
    if (sel) {
      const losses = sel.candidates.map((c) => c.loss);
      console.log(`${id} QAT ${target}: kept the state after epoch ${sel.chosen.epoch} step ${sel.chosen.step} of ${sel.candidates.length} scored (loss ${sel.chosen.loss.toFixed(4)}, ${sel.chosen.accuracy.toFixed(2)}% on ${sel.digits} training digits; losses ${Math.min(...losses).toFixed(4)}-${Math.max(...losses).toFixed(4)})${sel.chosenIsLast ? ': the last one' : ''}`);
    }
    console.log(`${id} QAT ${target}: ${fmtTime(log.seconds)}; held-out ${integerQat ? 'integer (training model)' : 'fake-quantized'} ${heldOut.toFixed(2)}% (logged only)`);
    epochsBefore += cfg.qatEpochs;
  }

  if (todo.includes('evaluate')) evaluateJob(cfg, root, job, trainSet, testSet, false);
}

/**
 * Evaluate a model on the held-out digits and write its record. With
 * `partial`, evaluate whatever stages are finished (at least the float one)
 * into partial-record.json instead: the results script shows it, flagged,
 * and a later run still trains the missing stages (record.json is what marks
 * a model finished; writing it removes the partial record).
 */
function evaluateJob(cfg: FamilyConfig, root: string, job: Job, trainSet: Samples, testSet: Samples, partial: boolean): void {
  const id = jobId(job);
  const t0 = performance.now();
  const trained = (['float', 'qat-pikelpn', 'qat-conventional4'] as const).filter((s) => stageDone(root, job, s));
  const weightsOf: Record<(typeof trained)[number], FamilyWeights> = { float: 'float-trained', 'qat-pikelpn': 'qat-pikelpn', 'qat-conventional4': 'qat-conventional4' };
  const nets: Partial<Record<FamilyWeights, FloatNetwork>> = Object.fromEntries(trained.map((s) => [weightsOf[s], readNet(stageNetworkPath(root, job, s))]));
  const any = nets['qat-pikelpn'] ?? nets['float-trained'];
  if (any === undefined) return;
  console.log(`${id} evaluating${partial ? ' (partial: stages ' + trained.join(', ') + ')' : ''} on ${testSet.count} held-out digits (runInt, bit-exact):`);
  const results = evaluateFamilyMember(nets, testSet, job.width === cfg.ablationWidth, (l) => console.log(l));
  const logs = Object.fromEntries(trained.map((s) => [s, readStageLog(root, job, s)]));
  const trainSeconds = Object.values(logs).reduce((a, l) => a + l.seconds, 0);
  const pikeEpochs = logs['qat-pikelpn']?.epochs ?? [];
  const lastSchemes = pikeEpochs[pikeEpochs.length - 1]?.schemes ?? {};
  const finalSchemes = logs['qat-pikelpn']?.finalSchemes ?? {};
  const record = {
    format: 'pikehdl-family-record',
    version: 1,
    id,
    network: mnistSeparable(job.width).name,
    width: job.width,
    seed: job.seed,
    ...(partial ? { partial: true, stages: trained } : {}),
    weights: any.layers.reduce((a, l) => a + ('weights' in l && l.weights ? l.weights.length : 0), 0),
    config: cfg,
    split: { package: 'mnist', seed: DEFAULT_SPLIT.seed, train: trainSet.count, test: testSet.count, sha256: splitDigest(makeSplit()) },
    heldOutCount: testSet.count,
    results,
    seconds: {
      float: logs.float?.seconds, 'qat-pikelpn': logs['qat-pikelpn']?.seconds, 'qat-conventional4': logs['qat-conventional4']?.seconds,
      train: trainSeconds, evaluate: seconds(t0),
    },
    heldOutTrainingModel: Object.fromEntries(Object.entries(logs).map(([k, l]) => [k, l.heldOutTrainingModel])),
    dhq: { lastEpoch: lastSchemes, final: finalSchemes, changedAfterLastEpoch: JSON.stringify(lastSchemes) !== JSON.stringify(finalSchemes), ...(logs['qat-pikelpn']?.rechosenSchemes ? { rechosenFromFinalWeights: logs['qat-pikelpn'].rechosenSchemes } : {}) },
    pikelpnQat: logs['qat-pikelpn'] ? pikelpnQatOrOld(logs['qat-pikelpn'].qat) : undefined,
    selection: Object.fromEntries(QAT_STAGES.flatMap((s) => {
      const sel = logs[s]?.selection;
      return sel ? [[s, { chosen: sel.chosen, chosenIsLast: sel.chosenIsLast, scored: sel.candidates.length, digits: sel.digits, everySteps: sel.everySteps }]] : [];
    })),
    node: process.version,
  };
  if (partial) {
    writeAtomic(partialRecordPath(root, job), `${JSON.stringify(record, null, 2)}\n`);
    console.log(`${id} partial record written (${trained.join(', ')}); evaluated in ${fmtTime(record.seconds.evaluate)}`);
    return;
  }
  writeAtomic(recordPath(root, job), `${JSON.stringify(record, null, 2)}\n`);
  rmSync(partialRecordPath(root, job), { force: true });
  console.log(`${id} done: trained in ${fmtTime(trainSeconds)}, evaluated in ${fmtTime(record.seconds.evaluate)}; wrote ${jobDir(root, job)}`);
}

const distillText = (d: DistillConfig | null | undefined): string => (d ? `weight ${d.weight}, temperature ${d.temperature}` : 'none');

/** "0.5,4" (weight, temperature) as a distillation config, or "none"; the error names the option and the rule. */
function parseDistill(text: string | undefined): DistillConfig | null {
  if (text === 'none') return null;
  const parts = (text ?? '').split(',');
  const c = { weight: Number(parts[0]), temperature: Number(parts[1]) };
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) throw new RangeError(`--distill: "${text ?? ''}" is not <weight>,<temperature> (e.g. 0.5,4) or none`);
  const err = distillConfigError(c);
  if (err !== undefined) throw new RangeError(`--distill: ${err}`);
  return c;
}

/** The QAT that trained a finished qat-pikelpn stage (undefined when the stage is not finished). */
function pikelpnQatOf(root: string, job: Job): PikelpnQat | undefined {
  if (!stageDone(root, job, 'qat-pikelpn')) return undefined;
  return pikelpnQatOrOld(readStageLog(root, job, 'qat-pikelpn').qat);
}

function main(args: readonly string[]): number {
  let widths: number[];
  let seeds: number[];
  let cfg: FamilyConfig = FAMILY_CONFIG;
  try {
    widths = parseNumberList(argValue(args, '--widths') ?? FAMILY_WIDTHS.join(','), '--widths', false);
    seeds = parseNumberList(argValue(args, '--seeds') ?? FAMILY_SEEDS.join(','), '--seeds', true);
    for (const w of widths) mnistSeparable(w);
    if (args.includes('--distill')) cfg = { ...FAMILY_CONFIG, distill: parseDistill(argValue(args, '--distill')) };
  } catch (e) {
    console.error(`family: ${(e as Error).message}`);
    return 2;
  }
  const root = argValue(args, '--out') ?? FAMILY_DIR;
  const redoText = argValue(args, '--redo');
  if (args.includes('--redo') && redoText !== 'qat-pikelpn' && redoText !== 'qat') {
    console.error(`family: --redo: "${redoText ?? ''}" cannot be redone: only qat-pikelpn or qat (both QAT stages), retrained with the current QAT`);
    return 2;
  }
  const redo: Redo = redoText === 'qat-pikelpn' || redoText === 'qat' ? redoText : undefined;
  const deadlineText = argValue(args, '--deadline');
  const deadline = deadlineText === undefined ? undefined : Date.parse(deadlineText);
  if (deadline !== undefined && !Number.isFinite(deadline)) {
    console.error(`family: --deadline: "${deadlineText}" is not a date and time (e.g. 2026-12-01T08:55:00Z)`);
    return 2;
  }
  const jobs = planJobs(widths, seeds);
  const status = (j: Job): string => {
    const done = STAGES.filter((s) => stageDone(root, j, s));
    const cps = (['float', 'qat-pikelpn', 'qat-conventional4'] as const).filter((s) => existsSync(checkpointPath(root, j, s)))
      .map((s) => `${s} checkpoint after epoch ${(JSON.parse(readFileSync(checkpointPath(root, j, s), 'utf8')) as PhaseCheckpoint).epochsDone}`);
    const text = done.length === STAGES.length ? 'finished' : done.length === 0 ? 'not started' : `done: ${done.join(', ')}`;
    const qat = pikelpnQatOf(root, j);
    const withQat = qat === undefined ? text : `${text} (qat-pikelpn: ${qat} QAT)`;
    return cps.length > 0 ? `${withQat}; ${cps.join('; ')}` : withQat;
  };
  console.log(`family: ${jobs.length} models in ${root}${cfg.distill ? `, QAT with distillation ${distillText(cfg.distill)}` : ''}`);
  for (const j of jobs) console.log(`  ${jobId(j).padEnd(22)} ${status(j)}`);
  if (args.includes('--plan')) return 0;
  const t0 = performance.now();
  const split = makeSplit();
  const trainSet = loadSamples(split.train);
  const testSet = loadSamples(split.test);
  // The best-step selection's digits: the first of the training split, never held-out ones.
  const selectSet = loadSamples(split.train.slice(0, FAMILY_CONFIG.selectBest.digits));
  const allJobs = planJobs([...new Set([...FAMILY_WIDTHS, ...widths])], [...new Set([...FAMILY_SEEDS, ...seeds])]);
  if (args.includes('--evaluate-partial')) {
    for (const j of jobs) if (!stageDone(root, j, 'evaluate') && stageDone(root, j, 'float')) evaluateJob(cfg, root, j, trainSet, testSet, true);
    return 0;
  }
  const floatFrom = argValue(args, '--float-from');
  if (args.includes('--float-from')) {
    if (floatFrom === undefined || floatFrom === root) throw new RangeError(`--float-from: "${floatFrom ?? ''}" must name another family directory than --out (${root})`);
    for (const j of jobs) if (copyFloatStage(floatFrom, root, j)) console.log(`${jobId(j)}: float stage copied from ${floatFrom}`);
  }
  let skipped = 0;
  jobs.forEach((j, i) => {
    try {
      runJob(cfg, root, j, trainSet, selectSet, testSet, i, jobs.length, (stage) => {
        // Epoch checkpoints bank partial stages, so a stage starts if its first epoch fits.
        const stageSeconds = estimatedSeconds(root, j.width, stage, allJobs);
        const epochs = stage === 'float' ? cfg.floatEpochs : cfg.qatEpochs;
        const need = stageSeconds === undefined ? undefined : (1.2 * stageSeconds) / epochs;
        if (deadline !== undefined && need !== undefined && Date.now() + need * 1000 > deadline) {
          throw new DeadlineReached(`family: skipping ${jobId(j)} from ${stage} on: one epoch should take about ${need.toFixed(0)} s (measured at this width, or scaled from another), and the deadline ${deadlineText} is ${((deadline - Date.now()) / 1000).toFixed(0)} s away. Rerun to resume.`);
        }
      }, (_epoch, last) => deadline !== undefined && Date.now() + 1.2 * last * 1000 > deadline, redo);
    } catch (e) {
      // The training code's refusals (RangeError) name the rule broken; prefixed here with the model.
      if (e instanceof RangeError) throw new RangeError(`${jobId(j)}: ${e.message}`);
      if (!(e instanceof DeadlineReached)) throw e;
      console.log(e.message);
      skipped++;
    }
  });
  if (skipped > 0) {
    console.log(`family: ${skipped} model(s) left unfinished for the deadline; this run took ${fmtTime(seconds(t0))}`);
    return 0;
  }
  console.log(`family: all ${jobs.length} models finished; this run took ${fmtTime(seconds(t0))}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // A refusal is one line; anything else is a bug and keeps its stack.
  if (!(e instanceof RangeError)) throw e;
  console.error(`family: ${e.message}`);
  process.exitCode = 2;
}
