/**
 * The compute units (MAC array, depthwise engine, elementwise units): one
 * typed descriptor per line (unitDescriptor.ts). Their generators are spread
 * into REGISTRY (hdl-gen/generators/registry.ts) after its own entries, so
 * `pikehdl gen --unit <name>` and the lint gate see them. This folder does
 * not import hdl-gen/generators (only hdl-gen/config): the dependency runs
 * one way, generators -> units.
 */
import type { Generator } from '../config/defineGenerator.ts';
import { activationGenerator, activationInventory, deriveActivation } from './activation/index.ts';
import { avgPoolGenerator, avgPoolInventory, deriveAvgPool } from './avgPool/index.ts';
import { DEPTHWISE_LATENCY, depthwiseGenerator, depthwiseInventory } from './depthwise/index.ts';
import { FUSED_NORM_REQUANT_LATENCY, fusedNormRequantGenerator, fusedNormRequantInventory } from './fusedNormRequant/index.ts';
import { MAC_ARRAY_LATENCY, macArrayGenerator, macArrayInventory } from './macArray/index.ts';
import { MAX_POOL_LATENCY, maxPoolGenerator, maxPoolInventory } from './maxPool/index.ts';
import { QUANT_NORM_LATENCY, quantNormGenerator, quantNormInventory } from './quantNorm/index.ts';
import { deriveRequantizer, requantizerGenerator, requantizerInventory } from './requantizer/index.ts';
import { RESIDUAL_LATENCY, residualGenerator, residualInventory } from './residual/index.ts';
import { type Unit, defineUnit } from './unitDescriptor.ts';

export const macArrayUnit = defineUnit({ generator: macArrayGenerator, inventory: macArrayInventory, latency: () => MAC_ARRAY_LATENCY });
export const depthwiseUnit = defineUnit({ generator: depthwiseGenerator, inventory: depthwiseInventory, latency: () => DEPTHWISE_LATENCY });
export const requantizerUnit = defineUnit({ generator: requantizerGenerator, inventory: requantizerInventory, latency: (c) => deriveRequantizer(c).latency });
export const quantNormUnit = defineUnit({ generator: quantNormGenerator, inventory: quantNormInventory, latency: () => QUANT_NORM_LATENCY });
export const fusedNormRequantUnit = defineUnit({ generator: fusedNormRequantGenerator, inventory: fusedNormRequantInventory, latency: () => FUSED_NORM_REQUANT_LATENCY });
export const activationUnit = defineUnit({ generator: activationGenerator, inventory: activationInventory, latency: (c) => deriveActivation(c).latency });
export const residualUnit = defineUnit({ generator: residualGenerator, inventory: residualInventory, latency: () => RESIDUAL_LATENCY });
export const avgPoolUnit = defineUnit({ generator: avgPoolGenerator, inventory: avgPoolInventory, latency: (c) => deriveAvgPool(c).latency });
export const maxPoolUnit = defineUnit({ generator: maxPoolGenerator, inventory: maxPoolInventory, latency: () => MAX_POOL_LATENCY });

/** Every unit, config types erased (the one place they are). */
export const UNIT_DESCRIPTORS: readonly Unit[] = Object.freeze([
  macArrayUnit,
  depthwiseUnit,
  requantizerUnit,
  quantNormUnit,
  fusedNormRequantUnit,
  activationUnit,
  residualUnit,
  avgPoolUnit,
  maxPoolUnit,
]);

export function findUnit(name: string): Unit | undefined {
  return UNIT_DESCRIPTORS.find((u) => u.name === name);
}

export const UNITS: readonly Generator[] = Object.freeze(UNIT_DESCRIPTORS.map((u) => u.generator));

export { defineUnit } from './unitDescriptor.ts';
export type { TypedUnit, Unit, UnitDescriptor } from './unitDescriptor.ts';
