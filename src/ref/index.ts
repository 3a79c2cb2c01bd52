// The golden reference model: per-element integer operations, integer and
// float kernels, and BigInt twins of each for the properties.
export * from './safeInteger.ts';
export * from './elementwise.ts';
export * from './elementwiseBig.ts';
export * from './tflite.ts';
export * from './geometry.ts';
export * from './convInt.ts';
export * from './kernelsBig.ts';
export * from './convFloat.ts';
export * from './requantStages.ts';
export * from './runInt.ts';
export * from './runFloat.ts';
export * from './maxPool.ts';
export * from './paddedPool.ts';
