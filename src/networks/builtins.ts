/**
 * The built-in architecture-only networks, by name: what `pikehdl report
 * --model <name>` and the paper analysis read.
 */
import type { FloatNetwork } from '../model/index.ts';
import { mobilenetV1 } from './mobilenetV1.ts';
import { mobilenetV2 } from './mobilenetV2.ts';
import { resnet18 } from './resnet18.ts';
import { mnistTiny } from './mnistTiny.ts';

const BUILDERS = {
  'mobilenet_v1_0.5': () => mobilenetV1({ width: 0.5 }),
  'mobilenet_v1_1.0': () => mobilenetV1({ width: 1 }),
  'mobilenet_v1_1.5': () => mobilenetV1({ width: 1.5 }),
  'mobilenet_v1_2.0': () => mobilenetV1({ width: 2 }),
  'mobilenet_v2_1.0': () => mobilenetV2(),
  resnet18: () => resnet18(),
  mnist_tiny: () => mnistTiny(),
} as const satisfies Record<string, () => FloatNetwork>;

export type BuiltinNetworkName = keyof typeof BUILDERS;
export const BUILTIN_NETWORK_NAMES = Object.keys(BUILDERS) as BuiltinNetworkName[];

export function isBuiltinNetworkName(s: string): s is BuiltinNetworkName {
  return Object.hasOwn(BUILDERS, s);
}

/** A fresh copy of a built-in network; its `name` is the built-in's name
 *  (reports and accuracy files match networks by it). */
export function builtinNetwork(name: BuiltinNetworkName): FloatNetwork {
  return BUILDERS[name]();
}
