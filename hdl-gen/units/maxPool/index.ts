// The max-pooling unit: global and k x k (stride k) windows over a pixel stream.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_MAX_POOL, maxPoolSchema } from './config.ts';
import { generateMaxPool } from './generate.ts';

export { maxPoolSchema, deriveMaxPool, DEFAULT_MAX_POOL, MAX_POOL_LATENCY } from './config.ts';
export type { MaxPoolConfig, MaxPoolConfigInput, MaxPoolDerived } from './config.ts';
export { generateMaxPool } from './generate.ts';
export { maxPoolInventory } from './inventory.ts';
export { packMaxPoolPixel, packMaxPoolOutput, unpackMaxPoolOutput } from './pack.ts';
export { maxPoolCycles } from './timing.ts';

export const maxPoolGenerator = defineGenerator({
  name: 'max_pool',
  description: 'max pooling (global or k x k, stride k) over a pixel stream: the largest value of each window, signed or unsigned',
  schema: maxPoolSchema,
  defaultConfig: DEFAULT_MAX_POOL,
  lintPoints: [
    { name: 'max_pool_min', channels: 1, inputBits: 1, width: 1, height: 1, kernel: 1 },
    { name: 'max_pool_global_7x7', channels: 3, inputBits: 16, inputSigned: true, width: 7, height: 7, kernel: 'global' },
    { name: 'max_pool_k3_crop', channels: 2, inputBits: 5, inputSigned: true, width: 11, height: 10, kernel: 3, stride: 3 },
    { name: 'max_pool_u1_k2', channels: 2, inputBits: 1, width: 4, height: 4, kernel: 2 },
    { name: 'max_pool_k6_wide', channels: 16, inputBits: 8, width: 1024, height: 12, kernel: 6 },
  ],
  generate: generateMaxPool,
});
