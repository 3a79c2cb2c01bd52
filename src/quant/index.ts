// Quantization: recipes, quantizers, QuantNorm, Double Quantization, DHQ, and the float -> integer compiler.
export { RECIPES, RECIPE_NAMES, withTechniques, isRecipeName, getRecipe } from './recipes.ts';
export type { Recipe, RecipeName, Techniques, WeightScheme, Granularity, ClippingRule } from './recipes.ts';
export { elementwisePlan } from './elementwisePlan.ts';
export type { ElementwisePlan, PlanStage, StageName, LayerTraits } from './elementwisePlan.ts';
export { quantizeTensor, dequantize, quantizationError, codeRange, channelGroups, groupOf, checkSpec } from './quantizer.ts';
export type { QuantizerSpec, QuantizedTensor, TensorLayout, ChannelAxis, QuantizationError } from './quantizer.ts';
export { fitSharedShift, SHIFT_SEARCH_SPAN } from './sharedShift.ts';
export type { SharedShiftFit, ElementError } from './sharedShift.ts';
export { quantNormFit } from './quantNorm.ts';
export type { QuantNormInput, QuantNormResult } from './quantNorm.ts';
export { doubleQuantize } from './doubleQuant.ts';
export type { DoubleQuantResult } from './doubleQuant.ts';
export { chooseWeightScheme, tensorStatistics, expectedOutputError, DHQ_CANDIDATES } from './dhq.ts';
export type { DhqChoice, TensorStatistics } from './dhq.ts';
export { seededRandom } from './seededRandom.ts';
export type { SeededRandom } from './seededRandom.ts';
export * as exactRational from './exactRational.ts';
export type { Rational } from './exactRational.ts';
