// The average-pooling unit: global and k x k (stride k) windows over a pixel stream, with the spec's rounding division.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_AVG_POOL, avgPoolSchema } from './config.ts';
import { generateAvgPool } from './generate.ts';

export { avgPoolSchema, deriveAvgPool, DEFAULT_AVG_POOL, MAX_POOL_IMAGE_SIDE, MAX_POOL_KERNEL } from './config.ts';
export type { AvgPoolConfig, AvgPoolConfigInput, AvgPoolDerived, Division } from './config.ts';
export { reciprocalPlan, divideByPlan } from '../../../src/arith/index.ts';
export type { ReciprocalPlan, RemainderFlag } from '../../../src/arith/index.ts';
export { generateAvgPool } from './generate.ts';
export { avgPoolInventory } from './inventory.ts';
export { packAvgPoolPixel, packAvgPoolOutput, unpackAvgPoolOutput } from './pack.ts';
export { avgPoolCycles, lastWindowPixel } from './timing.ts';

export const avgPoolGenerator = defineGenerator({
  name: 'avg_pool',
  description: 'average pooling (global or k x k, stride k) over a pixel stream: exact sums, roundDivide by N in every rounding mode',
  schema: avgPoolSchema,
  defaultConfig: DEFAULT_AVG_POOL,
  lintPoints: [
    { name: 'avg_pool_min', channels: 1, inputBits: 1, width: 1, height: 1, kernel: 1, rounding: 'rdn' },
    { name: 'avg_pool_global_7x7', channels: 3, inputBits: 16, inputSigned: true, width: 7, height: 7, kernel: 'global', rounding: 'rne' },
    { name: 'avg_pool_k3_crop', channels: 2, inputBits: 5, inputSigned: true, width: 11, height: 10, kernel: 3, stride: 3, rounding: 'rod' },
    { name: 'avg_pool_max', channels: 64, inputBits: 16, inputSigned: true, width: 1024, height: 1024, kernel: 'global', rounding: 'rna' },
    { name: 'avg_pool_k6_wide', channels: 16, inputBits: 8, width: 1024, height: 12, kernel: 6, rounding: 'rna' },
  ],
  generate: generateAvgPool,
});
