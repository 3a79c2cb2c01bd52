// The fused QuantNorm + requantizer unit: one multiply and one add per element.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_FUSED_NORM_REQUANT, fusedNormRequantSchema } from './config.ts';
import { generateFusedNormRequant } from './generate.ts';

export { fusedNormRequantSchema, deriveFusedNormRequant, DEFAULT_FUSED_NORM_REQUANT, FUSED_NORM_REQUANT_LATENCY } from './config.ts';
export type { FusedNormRequantConfig, FusedNormRequantConfigInput, FusedNormRequantDerived } from './config.ts';
export { generateFusedNormRequant } from './generate.ts';
export { fusedNormRequantInventory } from './inventory.ts';
export { foldNormScale, packFusedInput, packFusedOutput, unpackFusedOutput } from './pack.ts';
export type { FusedLane } from './pack.ts';

export const fusedNormRequantGenerator = defineGenerator({
  name: 'fused_norm_requant',
  description: "QuantNorm and the double-quantized requantizer folded: saturate(roundShift(acc * M' + B', S)) per element",
  schema: fusedNormRequantSchema,
  defaultConfig: DEFAULT_FUSED_NORM_REQUANT,
  lintPoints: [
    { name: 'fused_norm_requant_min', lanes: 1, accBits: 2, multiplierBits: 2, scaleBits: 2, shift: 0, rounding: 'rdn', outBits: 2, outSigned: false },
    { name: 'fused_norm_requant_max', lanes: 16, accBits: 32, multiplierBits: 16, multiplierSigned: true, scaleBits: 16, shift: 96, rounding: 'rne' },
    { name: 'fused_norm_requant_rna', lanes: 2, accBits: 12, multiplierBits: 6, scaleBits: 7, shift: 15, rounding: 'rna', outBits: 4, outSigned: true },
  ],
  generate: generateFusedNormRequant,
});
