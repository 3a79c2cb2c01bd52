/**
 * The distillation experiment beside the family: both QATs retrained with
 * knowledge distillation (distill.ts) from the family's own float
 * checkpoints, at the widths where the family's recipe misses a target, into
 * a directory of its own, so the family stays one recipe. results.ts reports
 * it as a comparison, seed by seed, with the same float checkpoints.
 */
import { join } from 'node:path';
import { sameDistill, type DistillConfig } from './distill.ts';
import { FAMILY_DIR, FAMILY_WIDTHS } from './familyConfig.ts';
import { countsOf, fmtSummary, meanAtLeast, meanGapAtMost, summarise, type FamilyRecord } from './familyRecords.ts';

interface FamilyResultOf {
  readonly accuracy: number;
  readonly correct: number;
  readonly of: number;
  readonly id: string;
}

export interface DistillExperiment {
  readonly dir: string;
  /** The comparison's distillation: a setting while it is the experiment, null once the family has adopted it (the comparison is then the family's previous recipe). */
  readonly distill: DistillConfig | null;
  readonly widths: readonly number[];
}

/**
 * The family's previous recipe, without distillation: its QAT stages, kept
 * when the family adopted distillation (FAMILY_CONFIG.distill), on the same
 * float checkpoints.
 */
export const DISTILL_EXPERIMENT: DistillExperiment = Object.freeze({
  dir: join('models', 'family-no-distill'),
  distill: null,
  widths: FAMILY_WIDTHS,
});

export const distillExperimentCommand = (e: DistillExperiment): string =>
  `npx tsx src/train/family.ts --widths ${e.widths.join(',')} --distill ${e.distill ? `${e.distill.weight},${e.distill.temperature}` : 'none'} --float-from ${FAMILY_DIR} --out ${e.dir}`;

/** The recipes the experiment retrains (float32 and tflite8 come from the shared float checkpoint). */
const QAT_LABELS = ['conventional4', 'pikelpn'] as const;

const accuracyOf = (r: FamilyRecord, label: string): number | undefined => r.results.find((x) => x.label === label)?.accuracy;

/**
 * The experiment's records checked against the family's: each trained with
 * the experiment's distillation, and on the same float checkpoint as the
 * family's model of its id (its float32 accuracy equal). Throws naming the
 * model and the rule otherwise.
 */
export function checkExperiment(e: DistillExperiment, family: readonly FamilyRecord[], exp: readonly FamilyRecord[]): void {
  for (const r of exp) {
    if (r.partial === true) throw new RangeError(`${e.dir}: ${r.id} is a partial record; finish it with ${distillExperimentCommand(e)}`);
    if (!sameDistill(r.config.distill, e.distill)) throw new RangeError(`${e.dir}: ${r.id} was trained with distillation ${JSON.stringify(r.config.distill ?? null)}, the experiment's is ${JSON.stringify(e.distill)}`);
    const base = family.find((f) => f.id === r.id);
    if (base === undefined) throw new RangeError(`${e.dir}: ${r.id} has no model of the same id in ${FAMILY_DIR} to compare with`);
    if (accuracyOf(base, 'float32') !== accuracyOf(r, 'float32')) {
      throw new RangeError(`${e.dir}: ${r.id}'s float32 accuracy ${String(accuracyOf(r, 'float32'))} differs from the family's ${String(accuracyOf(base, 'float32'))}: not the same float checkpoint`);
    }
  }
}

/** The comparison section's title. */
export function experimentTitle(e: DistillExperiment, exp: readonly FamilyRecord[]): string {
  const at = [...new Set(exp.map((r) => r.width))].sort((a, b) => a - b).map((w) => `${w}x`).join(', ');
  return e.distill !== null ? `Distillation at ${at}: an experiment, not the family's recipe` : `Without distillation at ${at}: the family's previous recipe`;
}

/** The markdown section (lines), or none when the comparison has no record. */
export function experimentSection(e: DistillExperiment, family: readonly FamilyRecord[], exp: readonly FamilyRecord[], widestTarget: number, gapTarget: number): string[] {
  if (exp.length === 0) return [];
  checkExperiment(e, family, exp);
  // Either side may be the one with distillation: the experiment before the family adopts it, or the family's previous recipe after.
  const distill = e.distill ?? family.find((r) => r.config.distill)?.config.distill;
  if (!distill) throw new RangeError(`${e.dir}: neither the family nor the comparison was trained with distillation`);
  const expDistils = e.distill !== null;
  const L: string[] = [];
  const widths = [...new Set(exp.map((r) => r.width))].sort((a, b) => a - b);
  L.push(`## ${experimentTitle(e, exp)}`, '');
  const what = `knowledge distillation from each model's own float checkpoint (\`src/train/distill.ts\`: loss = ${1 - distill.weight} x cross-entropy with the label + ${distill.weight} x T² x KL from the teacher's softmax at T = ${distill.temperature}; the teacher is the float network with running batch-norm statistics, on the same augmented batch). The setting is LSQ's (Esser et al., 2020), taken as published: nothing was tuned`;
  L.push(expDistils
    ? `Both QATs retrained with ${what}. Everything else is the family's recipe, from the same float checkpoints (\`--float-from\`, checked: the float32 accuracies are equal), so each seed differs from the family's model only in the QAT loss. Written to ${e.dir} by \`${distillExperimentCommand(e)}\`. The family above keeps its recipe until every width is retrained this way.`
    : `The family's QATs use ${what}. Before, they used plain cross-entropy; those models are kept in ${e.dir}, from the same float checkpoints (checked: the float32 accuracies are equal), so each seed differs only in the QAT loss (\`${distillExperimentCommand(e)}\` retrains them).`, '');
  L.push(`| width | recipe | without distillation, mean ± std | with distillation, mean ± std | distillation's change per seed (points) |`);
  L.push('|---|---|---|---|---|');
  for (const w of widths) {
    for (const label of QAT_LABELS) {
      const pairs = exp.filter((r) => r.width === w).flatMap((r) => {
        const base = family.find((f) => f.id === r.id);
        const a = base === undefined ? undefined : accuracyOf(base, label);
        const b = accuracyOf(r, label);
        if (a === undefined || b === undefined) return [];
        return [expDistils ? { seed: r.seed, without: a, with: b } : { seed: r.seed, without: b, with: a }];
      });
      if (pairs.length === 0) continue;
      const diffs = pairs.map((p) => `s${p.seed} ${p.with - p.without >= 0 ? '+' : ''}${(p.with - p.without).toFixed(2)}`).join(', ');
      L.push(`| ${w}x | ${label} | ${fmtSummary(summarise(pairs.map((p) => p.without)))} | ${fmtSummary(summarise(pairs.map((p) => p.with)))} | ${diffs} |`);
    }
  }
  L.push('', `With ${[...new Set(exp.map((r) => r.seed))].length} seeds and ${exp[0]!.heldOutCount.toLocaleString('en-US')} held-out digits, a change under about one point is not established (Limits, below); the per-seed changes show how much of it is one seed's luck.`, '');
  if (expDistils) {
    for (const w of widths) {
      const here = exp.filter((r) => r.width === w);
      const of = (label: string): FamilyResultOf[] => here.flatMap((r) => {
        const x = r.results.find((y) => y.label === label);
        return x === undefined ? [] : [{ accuracy: x.accuracy, correct: x.correct, of: r.heldOutCount, id: r.id }];
      });
      const pk = of('pikelpn');
      const c4 = of('conventional4');
      if (pk.length === 0 || c4.length === 0) continue;
      const p = summarise(pk.map((x) => x.accuracy));
      const c = summarise(c4.map((x) => x.accuracy));
      const gap = c.mean - p.mean;
      // The widest-model target concerns the family's widest width only; both checks on exact counts.
      const widest = w === Math.max(...family.map((r) => r.width)) ? ` (${meanAtLeast(countsOf(pk), widestTarget) ? 'meets' : 'misses'} the widest-model target of ${widestTarget}%)` : '';
      const within = meanGapAtMost(countsOf(pk), countsOf(c4), gapTarget);
      L.push(`- **${w}x with distillation:** pikelpn ${fmtSummary(p)}${widest}, conventional4 ${fmtSummary(c)}: pikelpn ${gap >= 0 ? `${gap.toFixed(2)} points lower` : `${(-gap).toFixed(2)} points higher`}, ${within ? 'within' : 'not within'} the target's ${gapTarget} points, at the same ACEv2 ratio as above (distillation changes the weights, not the arithmetic).`);
    }
    L.push('');
  }
  return L;
}
