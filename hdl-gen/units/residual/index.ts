// The residual adder: two quantized tensors at different scales, each aligned by a double-quantized multiplier.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_RESIDUAL, residualSchema } from './config.ts';
import { generateResidual } from './generate.ts';

export { residualSchema, deriveResidual, DEFAULT_RESIDUAL, RESIDUAL_LATENCY } from './config.ts';
export type { ResidualConfig, ResidualConfigInput, ResidualDerived } from './config.ts';
export { generateResidual } from './generate.ts';
export { residualInventory } from './inventory.ts';
export { packResidualInput, packResidualOutput, unpackResidualOutput } from './pack.ts';
export type { ResidualLane } from './pack.ts';

export const residualGenerator = defineGenerator({
  name: 'residual_add',
  description: 'residual add: saturate(roundShift(x1 * A1 + x2 * A2, S)) per element, A1/A2 double-quantized multipliers',
  schema: residualSchema,
  defaultConfig: DEFAULT_RESIDUAL,
  lintPoints: [
    { name: 'residual_add_min', lanes: 1, aBits: 2, aSigned: false, bBits: 2, bSigned: false, scaleBits: 2, shift: 0, rounding: 'rdn', outBits: 2, outSigned: false },
    { name: 'residual_add_max', lanes: 16, aBits: 16, bBits: 16, scaleBits: 16, shift: 48, rounding: 'rne' },
    { name: 'residual_add_mixed', lanes: 3, aBits: 4, aSigned: false, bBits: 8, bSigned: true, scaleBits: 7, tensorScales: { a: 100, b: 0 }, shift: 7, rounding: 'rna', outBits: 4 },
  ],
  generate: generateResidual,
});
