/**
 * Each registered unit's operator inventory (ACEv2 per transaction), by
 * registry name. The generator validates the config; the unit's own
 * inventory function (hdl-gen/units/<unit>/inventory.ts) declares the
 * operators. Generic building blocks (dot_product, fifo, ...) have none.
 */
import type { Generator } from '../../hdl-gen/generators/index.ts';
import { activationInventory, type ActivationConfig } from '../../hdl-gen/units/activation/index.ts';
import { avgPoolInventory, type AvgPoolConfig } from '../../hdl-gen/units/avgPool/index.ts';
import { depthwiseInventory, type DepthwiseConfig } from '../../hdl-gen/units/depthwise/index.ts';
import { fusedNormRequantInventory, type FusedNormRequantConfig } from '../../hdl-gen/units/fusedNormRequant/index.ts';
import { macArrayInventory, type MacArrayConfig } from '../../hdl-gen/units/macArray/index.ts';
import { quantNormInventory, type QuantNormConfig } from '../../hdl-gen/units/quantNorm/index.ts';
import { requantizerInventory, type RequantizerConfig } from '../../hdl-gen/units/requantizer/index.ts';
import { residualInventory, type ResidualConfig } from '../../hdl-gen/units/residual/index.ts';
import { DEFAULT_COST_TABLE, type OperatorInventory, tallyFromInventory } from '../cost/index.ts';

type InventoryOf = (config: unknown) => OperatorInventory;

// The registry erased each config's type; generator.parse returns the schema's output, so the casts restore it.
const INVENTORIES: Readonly<Record<string, InventoryOf>> = Object.freeze({
  mac_array: (c) => macArrayInventory(c as MacArrayConfig),
  depthwise: (c) => depthwiseInventory(c as DepthwiseConfig),
  requantizer: (c) => requantizerInventory(c as RequantizerConfig),
  quant_norm: (c) => quantNormInventory(c as QuantNormConfig),
  fused_norm_requant: (c) => fusedNormRequantInventory(c as FusedNormRequantConfig),
  activation: (c) => activationInventory(c as ActivationConfig),
  residual_add: (c) => residualInventory(c as ResidualConfig),
  avg_pool: (c) => avgPoolInventory(c as AvgPoolConfig),
});

export interface TransactionCost {
  readonly acev2: number;
  readonly ace: number;
  readonly macs: number;
}

/** ACEv2 of one transaction, tallyFromInventory(inventory, 1, DEFAULT_COST_TABLE); undefined when the unit declares no inventory. */
export function costPerTransaction(gen: Generator, raw: unknown): TransactionCost | undefined {
  const inv = INVENTORIES[gen.name];
  if (inv === undefined) return undefined;
  const t = tallyFromInventory(inv(gen.parse(raw)), 1, DEFAULT_COST_TABLE);
  return { acev2: t.acev2, ace: t.ace, macs: t.macs };
}
