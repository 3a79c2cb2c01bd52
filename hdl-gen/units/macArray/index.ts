// The output-stationary MAC array unit: generator, config, stream format, timing promise, cost inventory.
export { macArray, macArrayGenerator } from './macArray.ts';
export { macArrayConfig, macArrayShapes, MAX_DEPTH, MAX_SIDE } from './config.ts';
export type { MacArrayConfig, MacArrayConfigInput, MacArrayShapes } from './config.ts';
export { MAC_ARRAY_LATENCY, macArrayCycles, packMacStep, packMacTile, unpackMacTile } from './transaction.ts';
export { macArrayInventory } from './inventory.ts';
export { WEIGHT_KINDS, decodeWeight, encodeWeight, weightRange } from './weightEncoding.ts';
export type { WeightFormat, WeightKind } from './weightEncoding.ts';
