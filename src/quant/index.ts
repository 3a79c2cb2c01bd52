// Quantization: recipes, quantizers, QuantNorm, Double Quantization, DHQ, and the float -> integer compiler.
export { RECIPES, RECIPE_NAMES, withTechniques, isRecipeName, getRecipe } from './recipes.ts';
export { elementwisePlan } from './elementwisePlan.ts';
export type { ElementwisePlan, PlanStage, StageName, LayerTraits } from './elementwisePlan.ts';
export type { Recipe, RecipeName, Techniques, WeightScheme, Granularity, ClippingRule } from './recipes.ts';
