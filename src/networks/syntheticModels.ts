/**
 * The built-in architecture-only networks with seeded synthetic weights
 * (syntheticWeights.ts), plus reduced-size variants (lower resolution and
 * width, 10 classes) that take the same layer kinds and code paths: stride-2
 * 3x3 convolutions, depthwise layers, inverted residuals, ResNet's padded
 * 3x3/2 max pool, projection shortcuts, global pooling and the classifier.
 * The full-size ones are what `pikehdl cosim --model mobilenet_v1_1.0` runs;
 * the reduced ones are what the default tests run.
 */
import type { FloatNetwork } from '../model/index.ts';
import { builtinNetwork, isBuiltinNetworkName } from './builtins.ts';
import { mobilenetV1 } from './mobilenetV1.ts';
import { mobilenetV2 } from './mobilenetV2.ts';
import { resnet18 } from './resnet18.ts';
import { withSyntheticWeights } from './syntheticWeights.ts';

const REDUCED = {
  'mobilenet_v1_0.25_32': () => mobilenetV1({ width: 0.25, resolution: 32, classes: 10 }),
  'mobilenet_v2_0.35_32': () => mobilenetV2({ width: 0.35, resolution: 32, classes: 10 }),
  'resnet18_0.125_32': () => resnet18({ width: 0.125, resolution: 32, classes: 10 }),
} as const satisfies Record<string, () => FloatNetwork>;

/** Full-size built-ins that have no trained weights (mnist_tiny has; it is not synthetic). */
export const SYNTHETIC_FULL_SIZE = ['mobilenet_v1_0.5', 'mobilenet_v1_1.0', 'mobilenet_v1_1.5', 'mobilenet_v1_2.0', 'mobilenet_v2_1.0', 'resnet18'] as const;
export const SYNTHETIC_REDUCED = Object.keys(REDUCED) as (keyof typeof REDUCED)[];
export const SYNTHETIC_MODEL_NAMES: readonly string[] = [...SYNTHETIC_FULL_SIZE, ...SYNTHETIC_REDUCED];

export function isSyntheticModelName(s: string): boolean {
  return SYNTHETIC_MODEL_NAMES.includes(s);
}

/** The architecture (no weights) of a synthetic model name. */
export function syntheticArchitecture(name: string): FloatNetwork {
  if (Object.hasOwn(REDUCED, name)) return REDUCED[name as keyof typeof REDUCED]();
  if (isBuiltinNetworkName(name) && name !== 'mnist_tiny') return builtinNetwork(name);
  throw new RangeError(`synthetic model "${name}" is unknown: use one of ${SYNTHETIC_MODEL_NAMES.join(', ')}`);
}

/** The architecture with seeded synthetic weights; the name records the seed. */
export function syntheticNetwork(name: string, seed = 1): FloatNetwork {
  const net = withSyntheticWeights(syntheticArchitecture(name), { seed });
  return { ...net, name: `${name}_synthetic_s${seed}` };
}
