// Architecture-only descriptions of the networks the paper analysis uses.
export { mobilenetV1 } from './mobilenetV1.ts';
export type { MobileNetV1Options } from './mobilenetV1.ts';
export { mobilenetV2 } from './mobilenetV2.ts';
export { resnet18 } from './resnet18.ts';
export { mnistTiny } from './mnistTiny.ts';
export { BUILTIN_NETWORK_NAMES, builtinNetwork, isBuiltinNetworkName } from './builtins.ts';
export type { BuiltinNetworkName } from './builtins.ts';
export { builtinNetworkJson, writeBuiltinNetworks } from './writeBuiltins.ts';
