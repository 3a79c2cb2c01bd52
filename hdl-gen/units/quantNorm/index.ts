// The QuantNorm unit: batch norm with quantized per-channel parameters, acc * M + B.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_QUANT_NORM, quantNormSchema } from './config.ts';
import { generateQuantNorm } from './generate.ts';

export { quantNormSchema, deriveQuantNorm, DEFAULT_QUANT_NORM, QUANT_NORM_LATENCY } from './config.ts';
export type { QuantNormConfig, QuantNormConfigInput, QuantNormDerived } from './config.ts';
export { generateQuantNorm } from './generate.ts';
export { quantNormInventory } from './inventory.ts';
export { packQuantNormInput, packQuantNormOutput, unpackQuantNormOutput } from './pack.ts';
export type { QuantNormLane } from './pack.ts';

export const quantNormGenerator = defineGenerator({
  name: 'quant_norm',
  description: 'QuantNorm: per-element acc * M + B with per-channel quantized multiplier and offset, exact',
  schema: quantNormSchema,
  defaultConfig: DEFAULT_QUANT_NORM,
  lintPoints: [
    { name: 'quant_norm_min', lanes: 1, accBits: 2, multiplierBits: 2 },
    { name: 'quant_norm_max', lanes: 16, accBits: 32, multiplierBits: 16, multiplierSigned: true },
    { name: 'quant_norm_signed', lanes: 3, accBits: 9, multiplierBits: 5, multiplierSigned: true },
  ],
  generate: generateQuantNorm,
});
