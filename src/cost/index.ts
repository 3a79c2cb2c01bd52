// The ACEv2 cost model: operations, the cost table, the energy model, tallies
// (analytic and from hardware inventories), the paper analysis and reports.
export { OP_KINDS, FLOAT_FORMATS, FLOAT_FORMAT_BITS, OpError, opKey, parseOpKey, checkOp } from './ops.ts';
export type { Op, OpKind, FloatFormat } from './ops.ts';
export { CATEGORIES, CATEGORY_LABELS, isCategory } from './categories.ts';
export type { Category } from './categories.ts';
export { DEFAULT_COST_TABLE, INT_RULES, RULES_FOR_KIND, opCost, opAce, isMac } from './costTable.ts';
export type { CostTable, IntRule, IntRuleName, FloatRule } from './costTable.ts';
export { CostTableError, parseCostTable, parseCostTableText, costTableToJson } from './costTableFile.ts';
export type { CostTableJson } from './costTableFile.ts';
export { HOROWITZ_2014_PJ, intAddPj, intMulPj, opEnergyPj } from './energy.ts';
export { TallyError, tallyOps, tallyLayer, tallyNetworkFromLayers } from './tally.ts';
export type { OpCount, CostTotals, OpTally, LayerTally, NetworkTally } from './tally.ts';
export { inventoryCounts, tallyFromInventory } from './inventory.ts';
export type { OperatorInventory, InventoryEntry } from './inventory.ts';
export { requantizerOps, rescaleOps, activationOps, residualOps, poolOps, maxPoolOps } from './elementwise.ts';
export type { ElementOp, ActivationKind, RequantizerWorkload, RescaleWorkload, ActivationWorkload, ResidualWorkload, PoolWorkload, MaxPoolWorkload } from './elementwise.ts';
export { layerPrecisions } from './layerPrecision.ts';
export type { LayerPrecision } from './layerPrecision.ts';
export { tallyNetwork, tallyLayers, layerOpCounts, perElementCounts } from './analyticTally.ts';
export { workloadCounts, tallyWorkloads } from './unitWorkload.ts';
export type { Workload } from './unitWorkload.ts';
export { paperAnalysis, PAPER_RECIPES, ABLATIONS } from './paperAnalysis.ts';
export type { PaperAnalysis, PaperRow, PaperRecipe } from './paperAnalysis.ts';
