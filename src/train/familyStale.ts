/**
 * Which stages of a family model `family.ts` runs again: pure rules over what
 * the finished stage logs and the record say (family.ts reads them from
 * disk), so they can be tested without training anything.
 *
 *  - `--redo qat-pikelpn` retrains a finished qat-pikelpn stage trained by an
 *    earlier QAT (not CURRENT_PIKELPN_QAT) or without the best-step
 *    selection; `--redo qat` does so for both QAT stages (conventional4's
 *    when it has no selection).
 *  - A record evaluated on other QAT stages than those on disk (a redo stopped
 *    between training and evaluation) is stale: the model is re-evaluated.
 *  - `--redo` also retrains a QAT stage trained with another distillation
 *    than the run's (FamilyConfig.distill); without `--redo` such a stage is
 *    refused (distillMismatch), so one family never mixes two recipes.
 *  - A retrained stage re-evaluates the model too.
 */
import { sameDistill, type DistillConfig } from './distill.ts';
import { CURRENT_PIKELPN_QAT, STAGES, pikelpnQatOrOld, type PikelpnQat, type Stage } from './familyConfig.ts';

/** What `--redo` retrains: the pikelpn QAT stage, or both QAT stages. */
export type Redo = 'qat-pikelpn' | 'qat' | undefined;
export const QAT_STAGES = ['qat-pikelpn', 'qat-conventional4'] as const;
export type QatStage = (typeof QAT_STAGES)[number];

/** The facts of a finished QAT stage's log that decide a redo. */
export interface QatStageFacts {
  /** qat-pikelpn: which QAT trained it; absent in logs from before the integer QAT ('fake-quant'). */
  readonly qat?: PikelpnQat;
  /** Present when the stage ran the best-step selection. */
  readonly selection?: unknown;
  /** The distillation it trained with; absent in logs from before distillation existed (none). */
  readonly distill?: DistillConfig | null;
}

/** The facts of a model's record that decide whether it is stale. */
export interface RecordFacts {
  readonly pikelpnQat?: PikelpnQat;
  /** The config it was evaluated under; its distillation is the QAT stages' (absent: none). */
  readonly config?: { readonly distill?: DistillConfig | null };
  readonly selection?: Readonly<Partial<Record<string, unknown>>>;
}

/** Whether `--redo` retrains this finished QAT stage (`log` undefined: the stage is not finished). */
export function redoesStage(stage: QatStage, log: QatStageFacts | undefined, redo: Redo, distill: DistillConfig | null = null): boolean {
  if (redo === undefined || log === undefined || (redo === 'qat-pikelpn' && stage !== 'qat-pikelpn')) return false;
  return log.selection === undefined || !sameDistill(log.distill, distill) || (stage === 'qat-pikelpn' && pikelpnQatOrOld(log.qat) !== CURRENT_PIKELPN_QAT);
}

/**
 * The finished QAT stages trained with another distillation than the run's
 * and not retrained by its `--redo`: the run refuses them (a family of one
 * recipe), naming each. Empty when there are none.
 */
export function distillMismatch(logs: Readonly<Partial<Record<QatStage, QatStageFacts>>>, redo: Redo, distill: DistillConfig | null): QatStage[] {
  return QAT_STAGES.filter((s) => logs[s] !== undefined && !sameDistill(logs[s].distill, distill) && !redoesStage(s, logs[s], redo, distill));
}

/** Whether a record was evaluated on other QAT stages than the finished ones in `logs`. */
export function recordIsStale(record: RecordFacts | undefined, logs: Readonly<Partial<Record<QatStage, QatStageFacts>>>): boolean {
  if (record === undefined) return false;
  const pike = logs['qat-pikelpn'];
  if (pike !== undefined && pikelpnQatOrOld(record.pikelpnQat) !== pikelpnQatOrOld(pike.qat)) return true;
  if (QAT_STAGES.some((s) => logs[s] !== undefined && !sameDistill(logs[s].distill, record.config?.distill))) return true;
  return QAT_STAGES.some((s) => logs[s]?.selection !== undefined && record.selection?.[s] === undefined);
}

/** The stages to run, in order: the unfinished ones, the stale ones, and the evaluation when anything before it is redone or the record is stale. */
export function stagesToRun(done: (s: Stage) => boolean, stale: readonly QatStage[], recordStale: boolean): Stage[] {
  const redone = (s: Stage): boolean => stale.some((q) => q === s);
  return STAGES.filter((s) => !done(s) || redone(s) || ((stale.length > 0 || recordStale) && s === 'evaluate'));
}
