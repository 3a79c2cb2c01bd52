/**
 * The compute units (MAC array, depthwise engine, elementwise units): one
 * registry entry per line. Spread into REGISTRY (hdl-gen/generators/registry.ts)
 * after its own entries, `pikehdl gen --unit <name>` and the lint gate see them.
 */
import type { Generator } from '../generators/defineGenerator.ts';
import { depthwiseGenerator } from './depthwise/index.ts';
import { macArrayGenerator } from './macArray/index.ts';
import { requantizerGenerator } from './requantizer/index.ts';
import { quantNormGenerator } from './quantNorm/index.ts';
import { fusedNormRequantGenerator } from './fusedNormRequant/index.ts';
import { activationGenerator } from './activation/index.ts';
import { residualGenerator } from './residual/index.ts';
import { avgPoolGenerator } from './avgPool/index.ts';

export const UNITS: readonly Generator[] = Object.freeze([
  macArrayGenerator,
  depthwiseGenerator,
  requantizerGenerator,
  quantNormGenerator,
  fusedNormRequantGenerator,
  activationGenerator,
  residualGenerator,
  avgPoolGenerator,
]);
