// Network files: schemas, validation with path-naming errors, shape inference, I/O.
export {
  floatNetworkSchema,
  FLOAT_NETWORK_FORMAT,
  FLOAT_NETWORK_VERSION,
  MIN_BITS,
  MAX_BITS,
  LAYER_OPS,
  DEFAULT_BN_EPSILON,
} from './network.ts';
export type {
  FloatNetwork,
  FloatLayer,
  Conv2dLayer,
  DepthwiseConv2dLayer,
  DenseLayer,
  AvgPoolLayer,
  MaxPoolLayer,
  AddLayer,
  Activation,
  BatchNormStats,
  ValueRange,
  LayerOp,
} from './network.ts';
export { walkNetwork, convOutputSize } from './networkRules.ts';
export type { TensorShape, LayerShape, NetworkIssue } from './networkRules.ts';
export { inferShapes } from './inferShapes.ts';
export type { NetworkShapes } from './inferShapes.ts';
export { ModelError, formatIssues, formatPath } from './formatIssues.ts';
export { parseJsonText, validateFloatNetwork, parseFloatNetwork, validateIntNetwork, parseIntNetwork } from './parseNetwork.ts';
export { intNetworkSchema, tensorSpec, INT_NETWORK_FORMAT, INT_NETWORK_VERSION } from './intNetwork.ts';
export type {
  IntNetwork,
  IntLayer,
  IntConv2dLayer,
  IntDepthwiseLayer,
  IntDenseLayer,
  IntWeightedLayer,
  IntAvgPoolLayer,
  IntMaxPoolLayer,
  IntAddLayer,
  TensorSpec,
  OutputSpec,
  Requant,
  StagesRequant,
  TfliteRequant,
  PreluStage,
  IntAlign,
} from './intNetwork.ts';
export { walkIntNetwork, tensorShape, weightRange } from './intNetworkRules.ts';
export type { IntLayerShape } from './intNetworkRules.ts';
export { readTextFile, writeFileAtomic, stringifyModel } from './files.ts';
export { inputFileSchema, parseInputFile } from './inputFile.ts';
export type { InputFile } from './inputFile.ts';
export { LIMITS, LimitError, checkFileSize, checkJsonDepth, jsonDepth, checkRunNeeds } from './limits.ts';
export type { RunNeeds } from './limits.ts';
export { floatRunNeeds, intRunNeeds } from './runNeeds.ts';
export { floatParam, floatParamArray, FLOAT_PARAM_LIMIT, FLOAT_VARIANCE_LIMIT, MIN_BN_EPSILON } from './schemaParts.ts';
