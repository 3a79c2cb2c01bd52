// The compiled integer networks of the reduced synthetic built-ins, pinned by SHA-256 of
// their JSON (the compiled-network cache's text): speed work on the float kernels, the
// synthetic weights and the pikelpn compile (MSE clipping search, exact rationals) must
// leave every weight, multiplier and shift bit-identical. A change that means to alter the
// compiled networks updates these pins in the same commit, saying why.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RECIPES, compile, defaultCalibrationInputs } from '../../src/quant/index.ts';
import { syntheticNetwork } from '../../src/networks/syntheticModels.ts';
import { statisticsInputCount } from '../../src/networks/syntheticWeights.ts';

const PINNED: Record<string, string> = {
  'mobilenet_v1_0.25_32': '956c30f6f7bd27b077c197a357627b88b83a735ee1ce1e151142d0d0d5f3f973',
  'mobilenet_v2_0.35_32': 'f54460ad49bb1eb7dbd4b4271eaf2a81914e9daa3981a740cca606adfe4340f8',
  'resnet18_0.125_32': '2f56a670f6344aacc7ad9a618d0182a0fbb8d99e74a800a032473c46855b924b',
};

/** As resolveSynthetic compiles it (seed 1, calibration on seed 2), before the cache. */
function compiledJson(name: string): string {
  const float = syntheticNetwork(name, 1);
  const net = compile(float, RECIPES.pikelpn, { calibration: defaultCalibrationInputs(float, statisticsInputCount(float), 2) }).net;
  return `${JSON.stringify(net)}\n`;
}

describe('compiled synthetic networks are bit-identical to the pinned ones', () => {
  for (const [name, hash] of Object.entries(PINNED)) {
    it(name, () => {
      const json = compiledJson(name);
      expect(json.length).toBeGreaterThan(10_000);
      expect(createHash('sha256').update(json).digest('hex')).toBe(hash);
    });
  }
});
