/**
 * Held-out evaluation of one trained family member: each recipe on the
 * weights trained for it (float32 with runFloat; tflite8, conventional4 and
 * pikelpn compiled and run with the bit-exact integer runInt), ACEv2 of each
 * (src/cost), and at the ablation width the pikelpn ablations.
 */
import type { FloatNetwork } from '../model/index.ts';
import { RECIPES, compile, withTechniques, type Recipe } from '../quant/index.ts';
import { tallyNetwork } from '../cost/index.ts';
import { floatAccuracy, intAccuracy } from './evaluate.ts';
import type { Samples } from './dataset.ts';

export type FamilyWeights = 'float-trained' | 'qat-pikelpn' | 'qat-conventional4';

export interface FamilyResult {
  /** What was measured: a recipe name, or an ablation label. */
  readonly label: string;
  readonly weights: FamilyWeights;
  readonly recipe: string;
  /** Correct digits out of the record's heldOutCount (accuracy = 100 * correct / count). */
  readonly correct: number;
  readonly accuracy: number;
  readonly acev2: number;
}

interface Item {
  readonly label: string;
  readonly weights: FamilyWeights;
  readonly recipe: Recipe;
}

/** Each recipe on the weights trained for it: the points of the Pareto plot. */
export const MAIN_ITEMS: readonly Item[] = Object.freeze([
  { label: 'float32', weights: 'float-trained', recipe: RECIPES.float32 },
  { label: 'tflite8', weights: 'float-trained', recipe: RECIPES.tflite8 },
  { label: 'conventional4', weights: 'qat-conventional4', recipe: RECIPES.conventional4 },
  { label: 'pikelpn', weights: 'qat-pikelpn', recipe: RECIPES.pikelpn },
]);

/** pikelpn with one technique off, on pikelpn's QAT weights; DHQ off also on the weights trained for per-channel max (the fair ablation, docs/trained-mnist.md). */
export const ABLATION_ITEMS: readonly Item[] = Object.freeze([
  { label: 'pikelpn, no QuantNorm', weights: 'qat-pikelpn', recipe: withTechniques(RECIPES.pikelpn, { quantNorm: false }) },
  { label: 'pikelpn, no Double Quantization', weights: 'qat-pikelpn', recipe: withTechniques(RECIPES.pikelpn, { doubleQuant: false }) },
  { label: 'pikelpn, no DHQ', weights: 'qat-pikelpn', recipe: withTechniques(RECIPES.pikelpn, { dhq: false }) },
  { label: 'pikelpn, no DHQ (conventional4 QAT weights)', weights: 'qat-conventional4', recipe: withTechniques(RECIPES.pikelpn, { dhq: false }) },
]);

/** Every item whose weights are given (a partial evaluation lacks some). */
export function evaluateFamilyMember(nets: Readonly<Partial<Record<FamilyWeights, FloatNetwork>>>, data: Samples, ablations: boolean, log: (line: string) => void = () => {}): FamilyResult[] {
  const items = (ablations ? [...MAIN_ITEMS, ...ABLATION_ITEMS] : MAIN_ITEMS).filter((it) => nets[it.weights] !== undefined);
  return items.map((it) => {
    const net = nets[it.weights]!;
    const accuracy = it.recipe.name === 'float32' ? floatAccuracy(net, data) : intAccuracy(compile(net, it.recipe).net, data);
    const correct = Math.round((accuracy * data.count) / 100);
    log(`  ${it.label.padEnd(44)} ${accuracy.toFixed(2)}%`);
    return { label: it.label, weights: it.weights, recipe: it.recipe.name, correct, accuracy: (100 * correct) / data.count, acev2: tallyNetwork(net, it.recipe).acev2 };
  });
}
