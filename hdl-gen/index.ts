// hdl-gen: the DSL, the emitter, the disk writer and the generator registry.
export * from './dsl/index.ts';
export * from './emit/index.ts';
export * from './write/index.ts';
export * from './lib/index.ts';
export * from './generators/index.ts';
