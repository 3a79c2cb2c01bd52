/**
 * Every registered generator. `pikehdl gen` emits each one's default, and the
 * lint gate (test/lint) emits each one at all its lint points. Add new units
 * here.
 */
import { combExprGenerator } from './combExpr.ts';
import type { Generator } from './defineGenerator.ts';
import { dotProductGenerator } from './dotProduct.ts';
import { fifoGenerator } from './fifo.ts';
import { lookupTableGenerator } from './lookupTable.ts';
import { skidBufferGenerator } from './skidBuffer.ts';

export const REGISTRY: readonly Generator[] = Object.freeze([
  dotProductGenerator,
  combExprGenerator,
  skidBufferGenerator,
  fifoGenerator,
  lookupTableGenerator,
]);

export function findGenerator(name: string): Generator | undefined {
  return REGISTRY.find((g) => g.name === name);
}
