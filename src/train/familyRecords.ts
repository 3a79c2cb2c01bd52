/**
 * Reading the family's records (models/family/<id>/record.json, written by
 * family.ts) and summarising them over seeds. Pure apart from reading files.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pikelpnQatOrOld, type FamilyConfig, type PikelpnQat } from './familyConfig.ts';
import type { FamilyResult } from './familyEvaluate.ts';
import type { Candidate } from './bestStep.ts';

export interface FamilyRecord {
  readonly format: 'pikehdl-family-record';
  readonly id: string;
  readonly network: string;
  readonly width: number;
  readonly seed: number;
  /** An evaluation of the finished stages of an unfinished model (family.ts --evaluate-partial). */
  readonly partial?: boolean;
  readonly stages?: readonly string[];
  readonly weights: number;
  readonly config: FamilyConfig;
  readonly heldOutCount: number;
  readonly results: readonly FamilyResult[];
  /** Per stage; a partial record lacks the stages not trained. */
  readonly seconds: { readonly float?: number; readonly 'qat-pikelpn'?: number; readonly 'qat-conventional4'?: number; readonly train: number; readonly evaluate: number };
  readonly heldOutTrainingModel: Readonly<Record<string, number | undefined>>;
  readonly dhq: {
    readonly lastEpoch: Readonly<Record<string, string>>;
    readonly final: Readonly<Record<string, string>>;
    readonly changedAfterLastEpoch: boolean;
    /** Integer QAT: what DHQ would choose from the final weights (compile uses the recorded choice instead). */
    readonly rechosenFromFinalWeights?: Readonly<Record<string, string>>;
  };
  /** Which QAT trained the pikelpn weights (familyConfig.ts PikelpnQat); absent in records from before the integer QAT: 'fake-quant'. */
  readonly pikelpnQat?: PikelpnQat;
  /** Per QAT stage trained with the best-step selection (bestStep.ts): the state kept; absent in records from before it. */
  readonly selection?: Readonly<Partial<Record<'qat-pikelpn' | 'qat-conventional4', RecordSelection>>>;
  readonly node: string;
}

export interface RecordSelection {
  readonly chosen: Candidate;
  readonly chosenIsLast: boolean;
  readonly scored: number;
  readonly digits: number;
  readonly everySteps: number;
}

/** Every record under `root` (a finished model's, else a partial one), sorted by width then seed. */
export function readRecords(root: string): FamilyRecord[] {
  if (!existsSync(root)) return [];
  const out: FamilyRecord[] = [];
  for (const d of readdirSync(root).sort()) {
    const full = join(root, d, 'record.json');
    const p = existsSync(full) ? full : join(root, d, 'partial-record.json');
    if (!existsSync(p)) continue;
    const r = JSON.parse(readFileSync(p, 'utf8')) as FamilyRecord;
    if (r.format !== 'pikehdl-family-record') throw new RangeError(`${p}: format is "${String(r.format)}", expected "pikehdl-family-record"`);
    out.push(r);
  }
  return out.sort((a, b) => a.width - b.width || a.seed - b.seed);
}

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1); undefined for one seed. */
  readonly std: number | undefined;
  readonly min: number;
  readonly max: number;
}

export function summarise(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new RangeError('summarise: no values');
  const n = xs.length;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : undefined;
  return { n, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * A row's accuracies in exact form: the correct digits of each seed, each
 * out of `of`. Targets are checked on these, not on the rounded float means,
 * so a mean of exactly 98.50% meets a 98.5% target whatever the float sum does.
 */
export interface Counts {
  readonly correct: readonly number[];
  readonly of: number;
}

/**
 * A target in percent (or points) as an integer number of millionths: a
 * decimal like 98.5 or 80.15 has no exact binary form, so multiplying it out
 * in floating point could land a hair either side. Targets are read to six
 * decimal places; the products are BigInts, exact at any size.
 */
const MICRO = 1_000_000n;
const micro = (x: number): bigint => BigInt(Math.round(x * 1_000_000));
const big = (x: number): bigint => BigInt(x);
const totalOf = (xs: readonly number[]): bigint => xs.reduce((a, x) => a + big(x), 0n);

/** mean accuracy >= percent, i.e. 100 * sum(correct) / (n * of) >= percent, multiplied out in integers. */
export function meanAtLeast(c: Counts, percent: number): boolean {
  if (c.correct.length === 0) throw new RangeError('meanAtLeast: no seeds');
  return 100n * MICRO * totalOf(c.correct) >= micro(percent) * big(c.correct.length) * big(c.of);
}

/** mean(higher) - mean(lower) <= points (in accuracy points), multiplied out in integers as meanAtLeast is. */
export function meanGapAtMost(lower: Counts, higher: Counts, points: number): boolean {
  const nl = big(lower.correct.length);
  const nh = big(higher.correct.length);
  if (nl === 0n || nh === 0n) throw new RangeError('meanGapAtMost: no seeds');
  const ol = big(lower.of);
  const oh = big(higher.of);
  return 100n * MICRO * (totalOf(higher.correct) * nl * ol - totalOf(lower.correct) * nh * oh) <= micro(points) * nh * oh * nl * ol;
}

export interface Row {
  readonly width: number;
  readonly network: string;
  readonly label: string;
  readonly recipe: string;
  readonly acev2: number;
  readonly accuracy: Summary;
  /** The same accuracies exactly, for the targets. */
  readonly counts: Counts;
  readonly seeds: readonly number[];
}

/** The QAT that trained a record's pikelpn weights. */
export const pikelpnQatOfRecord = (r: FamilyRecord): PikelpnQat => pikelpnQatOrOld(r.pikelpnQat);

/** Seeds' correct counts as Counts; all must be out of the same number of digits (else the mean of accuracies is not theirs). */
export function countsOf(xs: readonly { readonly correct: number; readonly of: number; readonly id: string }[]): Counts {
  const of = xs[0]?.of ?? 0;
  const other = xs.find((x) => x.of !== of);
  if (other !== undefined) throw new RangeError(`${other.id}: scored on ${other.of} held-out digits, ${xs[0]!.id} on ${of}: their accuracies cannot be averaged as one row`);
  return { correct: xs.map((x) => x.correct), of };
}

/** One row per (width, result label), over the seeds that have it. */
export function rowsOf(records: readonly FamilyRecord[]): Row[] {
  const groups = new Map<string, { rec: FamilyRecord; res: FamilyResult }[]>();
  for (const rec of records) {
    for (const res of rec.results) {
      const k = `${rec.width}\u0000${res.label}`;
      const g = groups.get(k) ?? [];
      g.push({ rec, res });
      groups.set(k, g);
    }
  }
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    return {
      width: first.rec.width,
      network: first.rec.network,
      label: first.res.label,
      recipe: first.res.recipe,
      acev2: first.res.acev2,
      accuracy: summarise(g.map((x) => x.res.accuracy)),
      counts: countsOf(g.map((x) => ({ correct: x.res.correct, of: x.rec.heldOutCount, id: x.rec.id }))),
      seeds: g.map((x) => x.rec.seed),
    };
  });
}

/** "97.35 ± 0.21 (3 seeds)", or "97.35 (1 seed)". */
export function fmtSummary(s: Summary): string {
  return s.std === undefined ? `${s.mean.toFixed(2)} (1 seed)` : `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)} (${s.n} seeds)`;
}
