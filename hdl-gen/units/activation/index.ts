// The activation unit: ReLU and clipped ReLU as a clamp, PReLU with a quantized per-channel slope.
import { defineGenerator } from '../../config/defineGenerator.ts';
import { DEFAULT_ACTIVATION, activationSchema } from './config.ts';
import { generateActivation } from './generate.ts';

export { activationSchema, deriveActivation, DEFAULT_ACTIVATION, ACTIVATION_KINDS } from './config.ts';
export type { ActivationConfig, ActivationConfigInput, ActivationDerived } from './config.ts';
export { generateActivation } from './generate.ts';
export { activationInventory } from './inventory.ts';
export { packActivationInput, packActivationOutput, unpackActivationOutput } from './pack.ts';
export type { ActivationLane } from './pack.ts';

export const activationGenerator = defineGenerator({
  name: 'activation',
  description: 'per-element ReLU / clipped ReLU (a clamp) or PReLU with a quantized per-channel slope and shift',
  schema: activationSchema,
  defaultConfig: DEFAULT_ACTIVATION,
  lintPoints: [
    { name: 'activation_relu_min', kind: 'relu', lanes: 1, inBits: 2, outBits: 2, outSigned: false },
    { name: 'activation_relu6', kind: 'clippedRelu', lanes: 4, inBits: 12, clipHigh: 6, outBits: 4, outSigned: true },
    { name: 'activation_prelu_max', kind: 'prelu', lanes: 16, inBits: 32, slopeBits: 16, slopeShift: 31, rounding: 'rne', outBits: 8 },
    { name: 'activation_prelu_min', kind: 'prelu', lanes: 1, inBits: 2, slopeBits: 2, slopeShift: 0, rounding: 'rod', outBits: 2, outSigned: true },
  ],
  generate: generateActivation,
});
