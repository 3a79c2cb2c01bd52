/**
 * Keeping the best of the last training steps instead of the last one.
 *
 * Why: the integer pikelpn network's accuracy jumps between neighbouring
 * steps even at the last epoch's learning rate, because every step re-fits
 * the weight scales, the MSE clipping thresholds and QuantNorm's shared shift
 * and 8-bit multipliers, which move discretely (lastEpochJitter.ts measured
 * 85.5-90.5% on training digits within one epoch, and 77% after the very
 * last step). Where a run happens to stop was a lottery of several points.
 *
 * The rule: in the frozen-batch-norm epochs of a QAT phase, every
 * `everySteps` steps and after each epoch's last step, the training model's
 * own forward pass (for the integer QAT: the compiled integer network) is
 * scored by its mean cross-entropy on a fixed set of training digits,
 * un-augmented. The state with the lowest loss is kept (the earliest on a
 * tie). Only training digits are looked at, never held-out ones. The same
 * rule applies to every QAT recipe, so the recipes stay comparable.
 */
import type { WeightScheme } from '../quant/index.ts';

/** The selection rule's settings: which training digits score a state, and how often. */
export interface SelectBestConfig {
  /** How many of the training digits (the split's first ones) score each state. */
  readonly digits: number;
  readonly everySteps: number;
}

/** One scored state: after `step` steps of 1-based `epoch`. */
export interface Candidate {
  readonly epoch: number;
  readonly step: number;
  /** Mean cross-entropy (nats) of the training model's logits on the selection digits. */
  readonly loss: number;
  /** Its top-1 accuracy (%) on them (logged only; the loss decides). */
  readonly accuracy: number;
}

/** What a phase reports about the selection: every candidate and the one kept. */
export interface SelectionLog {
  readonly digits: number;
  readonly everySteps: number;
  readonly candidates: readonly Candidate[];
  readonly chosen: Candidate;
  /** The kept state is the phase's last one (nothing was restored). */
  readonly chosenIsLast: boolean;
}

/** The selection's state in a phase checkpoint (so a resumed phase selects as an uninterrupted one). */
export interface SelectionCheckpoint {
  /**
   * The settings it was taken with: a resume with other settings is refused (its candidates would not
   * compare). Absent in checkpoints written before the settings were recorded.
   */
  readonly config?: SelectBestConfig;
  readonly candidates: readonly Candidate[];
  readonly best?: Candidate & { readonly values: readonly (readonly number[])[]; readonly schemes?: Readonly<Record<string, WeightScheme>> };
}

/** The parameters the tracker copies and restores (the model's trainable tensors). */
export interface ParamValues {
  readonly value: Float64Array;
}

/** Tracks the candidates of one phase and a copy of the best state's parameters. */
export class BestStep {
  readonly #candidates: Candidate[] = [];
  #best: (Candidate & { values: Float64Array[]; schemes: ReadonlyMap<string, WeightScheme> | null }) | undefined;

  constructor(readonly config: SelectBestConfig, resume?: SelectionCheckpoint) {
    if (!Number.isInteger(config.digits) || config.digits < 1) throw new RangeError(`selectBest.digits: ${config.digits} is not a positive integer`);
    if (!Number.isInteger(config.everySteps) || config.everySteps < 1) throw new RangeError(`selectBest.everySteps: ${config.everySteps} is not a positive integer`);
    if (resume) {
      const was = resume.config;
      // A state with no candidate yet (a checkpoint from before the frozen epochs) holds nothing to
      // compare, whatever settings it was taken with (checkpoints from before settings were recorded have none).
      const nothingTaken = resume.candidates.length === 0 && resume.best === undefined;
      if (!nothingTaken && (was === undefined || was.digits !== config.digits || was.everySteps !== config.everySteps)) {
        throw new RangeError(`selectBest: the checkpoint's selection was taken with ${was === undefined ? 'no recorded settings' : `digits ${was.digits}, everySteps ${was.everySteps}`}, this phase has digits ${config.digits}, everySteps ${config.everySteps}: its candidates would not compare (delete the checkpoint to retrain the stage)`);
      }
      this.#candidates.push(...resume.candidates);
      const b = resume.best;
      if (b) this.#best = { epoch: b.epoch, step: b.step, loss: b.loss, accuracy: b.accuracy, values: b.values.map((v) => Float64Array.from(v)), schemes: b.schemes ? new Map(Object.entries(b.schemes)) : null };
    }
  }

  /** Whether the state after `step` of `steps` is scored. */
  due(step: number, steps: number): boolean {
    return step % this.config.everySteps === 0 || step === steps;
  }

  /** Record a scored state; copies the parameters when it is the best so far. */
  offer(c: Candidate, params: readonly ParamValues[], schemes: ReadonlyMap<string, WeightScheme> | null): void {
    if (!Number.isFinite(c.loss)) throw new RangeError(`selectBest: the loss after epoch ${c.epoch} step ${c.step} is ${c.loss}`);
    this.#candidates.push(c);
    if (this.#best === undefined || c.loss < this.#best.loss) this.#best = { ...c, values: params.map((p) => Float64Array.from(p.value)), schemes };
  }

  checkpoint(): SelectionCheckpoint {
    const b = this.#best;
    return {
      config: { digits: this.config.digits, everySteps: this.config.everySteps },
      candidates: [...this.#candidates],
      ...(b ? { best: { epoch: b.epoch, step: b.step, loss: b.loss, accuracy: b.accuracy, values: b.values.map((v) => Array.from(v)), ...(b.schemes ? { schemes: Object.fromEntries(b.schemes) } : {}) } } : {}),
    };
  }

  /**
   * At the phase's end: put the best state's parameters back into `params`
   * (when it is not the last one) and return the log and the best state's
   * weight schemes; undefined when nothing was scored.
   */
  finish(params: readonly ParamValues[]): { log: SelectionLog; schemes: ReadonlyMap<string, WeightScheme> | null } | undefined {
    const b = this.#best;
    const last = this.#candidates[this.#candidates.length - 1];
    if (b === undefined || last === undefined) return undefined;
    const chosenIsLast = b.epoch === last.epoch && b.step === last.step;
    if (!chosenIsLast) {
      if (b.values.length !== params.length) throw new RangeError(`selectBest: the kept state has ${b.values.length} tensors, the model ${params.length}`);
      params.forEach((p, i) => {
        if (b.values[i]!.length !== p.value.length) throw new RangeError(`selectBest: the kept state's tensor ${i} has ${b.values[i]!.length} values, the model's ${p.value.length}`);
        p.value.set(b.values[i]!);
      });
    }
    const chosen: Candidate = { epoch: b.epoch, step: b.step, loss: b.loss, accuracy: b.accuracy };
    return { log: { digits: this.config.digits, everySteps: this.config.everySteps, candidates: [...this.#candidates], chosen, chosenIsLast }, schemes: b.schemes };
  }
}
