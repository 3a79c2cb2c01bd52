/**
 * Every registered generator: this folder's own, then the compute units of
 * hdl-gen/units (their UNITS list). `pikehdl gen` emits each one's default,
 * and the lint gate (test/lint) emits each one at all its lint points.
 */
import { combExprGenerator } from './combExpr.ts';
import type { Generator } from './defineGenerator.ts';
import { dotProductGenerator } from './dotProduct.ts';
import { fifoGenerator } from './fifo.ts';
import { lookupTableGenerator } from './lookupTable.ts';
import { skidBufferGenerator } from './skidBuffer.ts';
import { UNITS } from '../units/index.ts';

export const REGISTRY: readonly Generator[] = Object.freeze([
  dotProductGenerator,
  combExprGenerator,
  skidBufferGenerator,
  fifoGenerator,
  lookupTableGenerator,
  ...UNITS,
]);

const names = REGISTRY.map((g) => g.name);
const duplicate = names.find((n, i) => names.indexOf(n) !== i);
if (duplicate !== undefined) throw new Error(`hdl-gen registry: two generators are named ${duplicate} (this is a bug)`);

export function findGenerator(name: string): Generator | undefined {
  return REGISTRY.find((g) => g.name === name);
}
