/**
 * Which elementwise stages a recipe leaves in floating point and which become
 * integer, in the order the compiled layer executes them. The compiler
 * (compile.ts) builds exactly this pipeline and the cost model can tally it.
 *
 * Order rule: integer stages run first, float stages after, and the last
 * stage rounds (round-to-nearest-even from float, or the recipe's rounding
 * shift from integer) and saturates. So with QuantNorm off and Double
 * Quantization on, the scale stage (acc * Q_c, exact) runs before the float
 * batch norm. With both off, batch norm and the quantization scaling stay two
 * fp32 stages (as a conventional low-precision model executes them: this is
 * the cost PikeLPN removes), not one folded affine map. Without batch norm the
 * scale stage also adds the bias (integer offset O_c or fp32 add).
 */
import type { Recipe } from './recipes.ts';

export type StageName = 'norm' | 'scale' | 'tflite' | 'prelu';

export interface PlanStage {
  readonly stage: StageName;
  readonly arithmetic: 'integer' | 'float';
  /** Integer: width of the constant operand (multiplier, scale, slope); float: the float format's width. */
  readonly bits: number;
  /** What the stage computes, per output element. */
  readonly formula: string;
}

export interface ElementwisePlan {
  readonly stages: readonly PlanStage[];
  /** How the final value becomes an integer: a float round-to-nearest-even, or the recipe's integer rounding shift. */
  readonly finalRounding: 'float-rne' | Recipe['rounding'];
}

export interface LayerTraits {
  readonly batchNorm: boolean;
  readonly prelu: boolean;
}

export function elementwisePlan(recipe: Recipe, layer: LayerTraits): ElementwisePlan {
  const f = recipe.floatBits;
  const t = recipe.techniques;
  if (recipe.mac === 'float') {
    const stages: PlanStage[] = [];
    if (layer.batchNorm) stages.push({ stage: 'norm', arithmetic: 'float', bits: f, formula: 'v = g_c*x + h_c' });
    if (layer.prelu) stages.push({ stage: 'prelu', arithmetic: 'float', bits: f, formula: 'x < 0 ? alpha_c*x : x' });
    return { stages, finalRounding: 'float-rne' };
  }
  if (recipe.requantizer === 'tflite') {
    const stages: PlanStage[] = [
      { stage: 'tflite', arithmetic: 'integer', bits: 32, formula: 't = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc + bias_c, M0_c), shift_c)' },
    ];
    if (layer.prelu) stages.push(preluStage(recipe, t.quantizedPrelu));
    return { stages, finalRounding: t.quantizedPrelu || !layer.prelu ? 'rna' : 'float-rne' };
  }
  const ints: PlanStage[] = [];
  const floats: PlanStage[] = [];
  const normInt = layer.batchNorm && t.quantNorm;
  if (layer.batchNorm) {
    (normInt ? ints : floats).push(
      normInt
        ? { stage: 'norm', arithmetic: 'integer', bits: recipe.quantNorm.multiplierBits, formula: 'n = acc*M_c + B_c' }
        : { stage: 'norm', arithmetic: 'float', bits: f, formula: 'v = G_c*x + H_c' },
    );
  }
  // Without batch norm the scale stage still adds the bias (as an integer offset or a float add).
  const scaleInt = t.doubleQuant;
  (scaleInt ? ints : floats).push(
    scaleInt
      ? { stage: 'scale', arithmetic: 'integer', bits: recipe.doubleQuant.scaleBits, formula: floats.length === 0 ? (layer.batchNorm ? 't = n*Q' : 't = acc*Q_c + O_c') : 'n = acc*Q_c' }
      : { stage: 'scale', arithmetic: 'float', bits: f, formula: layer.batchNorm ? 'v = R_c*x' : 'v = R_c*x + O_c' },
  );
  const allInt = floats.length === 0;
  if (layer.prelu) (allInt && t.quantizedPrelu ? ints : floats).push(preluStage(recipe, allInt && t.quantizedPrelu));
  return { stages: [...ints, ...floats], finalRounding: floats.length === 0 ? recipe.rounding : 'float-rne' };
}

function preluStage(recipe: Recipe, integer: boolean): PlanStage {
  return integer
    ? { stage: 'prelu', arithmetic: 'integer', bits: recipe.prelu.slopeBits, formula: 't < 0 ? roundShift(t*P_c, Sp) : t' }
    : { stage: 'prelu', arithmetic: 'float', bits: recipe.floatBits, formula: 'x < 0 ? alpha_c*x : x' };
}
