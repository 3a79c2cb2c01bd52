// The requantizer unit: double-quantized (PikeLPN) and TFLite fixed-point variants.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_REQUANTIZER, requantizerSchema } from './config.ts';
import { generateRequantizer } from './generate.ts';

export { requantizerSchema, deriveRequantizer, DEFAULT_REQUANTIZER } from './config.ts';
export type { RequantizerConfig, RequantizerConfigInput, RequantizerDerived, DoubleQuantConfig, TfliteConfig } from './config.ts';
export { generateRequantizer } from './generate.ts';
export { requantizerInventory } from './inventory.ts';
export { packRequantizerInput, packRequantizerOutput, unpackRequantizerOutput } from './pack.ts';
export type { DoubleQuantLane, TfliteLane } from './pack.ts';

export const requantizerGenerator = defineGenerator({
  name: 'requantizer',
  description: 'per-element requantizer: double-quantized (acc+bias)*Q rounding shift and saturation, or the TFLite fixed-point baseline',
  schema: requantizerSchema,
  defaultConfig: DEFAULT_REQUANTIZER,
  lintPoints: [
    { variant: 'doubleQuant', name: 'requantizer_dq_min', lanes: 1, accBits: 2, scaleBits: 2, shift: 0, rounding: 'rdn', outBits: 2, outSigned: false },
    { variant: 'doubleQuant', name: 'requantizer_dq_max', lanes: 16, accBits: 40, scaleBits: 16, shift: 64, rounding: 'rne', outBits: 8, outSigned: true },
    { variant: 'doubleQuant', name: 'requantizer_dq_tensor', lanes: 3, accBits: 17, scaleBits: 8, tensorScale: 255, bias: false, shift: 9, rounding: 'rod' },
    { variant: 'tflite', name: 'requantizer_tflite_8', lanes: 4, accBits: 32, outBits: 8, outSigned: true, outputZeroPoint: -3 },
    { variant: 'tflite', name: 'requantizer_tflite_min', lanes: 1, accBits: 2, outBits: 2, outSigned: false, outputZeroPoint: 3 },
  ],
  generate: generateRequantizer,
});
