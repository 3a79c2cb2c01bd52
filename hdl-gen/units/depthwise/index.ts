// The depthwise convolution engine: generator, config and geometry, stream format, timing promise, cost inventory.
export { depthwise, depthwiseGenerator } from './depthwise.ts';
export { depthwiseConfig, depthwiseGeometry, MAX_IMAGE_SIDE, STRIDES } from './config.ts';
export type { DepthwiseConfig, DepthwiseConfigInput, DepthwiseGeometry } from './config.ts';
export { depthwiseInventory } from './inventory.ts';
export {
  DEPTHWISE_LATENCY,
  depthwiseCycles,
  lastOutputPosition,
  packDepthwiseOutput,
  packDepthwisePixel,
  packDepthwiseTap,
  readsWholeImageBeforeLastOutput,
  unpackDepthwiseOutput,
} from './transaction.ts';
