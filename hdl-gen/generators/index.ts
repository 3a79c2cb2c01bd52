// Generators: validated configuration -> Module, and the registry of them.
export { REGISTRY, findGenerator } from './registry.ts';
export { defineGenerator } from './defineGenerator.ts';
export type { Generator, GeneratorDef } from './defineGenerator.ts';
export { ConfigError, parseConfig } from './configError.ts';
export { exprJson, exprFromJson, exprToJson } from './exprJson.ts';
export type { ExprJson } from './exprJson.ts';
export { buildCombExpr, combExpr } from './combExpr.ts';
export type { CombExprLayout, CombExprConfig } from './combExpr.ts';
export { dotProduct } from './dotProduct.ts';
export type { DotProductConfig } from './dotProduct.ts';
export { skidBuffer } from './skidBuffer.ts';
export { fifo } from './fifo.ts';
export { lookupTable } from './lookupTable.ts';
