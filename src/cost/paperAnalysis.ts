/**
 * The PikeLPN paper's analysis, reproduced on this project's cost table:
 * for each built-in network, the tallies under float32, conventional4 and
 * pikelpn; the share of conventional4's ACEv2 spent on elementwise
 * operations (the paper: they dominate); the ACEv2 and energy ratios
 * conventional4 / pikelpn (the paper: up to ~3x); and an ablation adding
 * PikeLPN's techniques to conventional4 one at a time.
 *
 * The cost table is an input, fixed before this runs; nothing here adjusts
 * anything toward the paper's numbers.
 */
import { RECIPES, withTechniques, type Recipe } from '../quant/index.ts';
import { BUILTIN_NETWORK_NAMES, builtinNetwork, type BuiltinNetworkName } from '../networks/index.ts';
import { type CostTable, DEFAULT_COST_TABLE } from './costTable.ts';
import { tallyNetwork } from './analyticTally.ts';
import type { NetworkTally } from './tally.ts';

export const PAPER_RECIPES = ['float32', 'conventional4', 'pikelpn'] as const;
export type PaperRecipe = (typeof PAPER_RECIPES)[number];

/** conventional4 plus one or two of PikeLPN's techniques. */
export const ABLATIONS: ReadonlyArray<{ readonly label: string; readonly recipe: Recipe }> = [
  { label: '+QuantNorm', recipe: withTechniques(RECIPES.conventional4, { quantNorm: true }) },
  { label: '+DoubleQuant', recipe: withTechniques(RECIPES.conventional4, { doubleQuant: true }) },
  { label: '+QuantNorm+DoubleQuant', recipe: withTechniques(RECIPES.conventional4, { quantNorm: true, doubleQuant: true }) },
];

export interface PaperRow {
  readonly network: BuiltinNetworkName;
  readonly macs: number;
  readonly tallies: Readonly<Record<PaperRecipe, NetworkTally>>;
  /** Share of conventional4's ACEv2 outside the MACs. */
  readonly conventionalElementwiseShare: number;
  readonly pikelpnElementwiseShare: number;
  /** conventional4 / pikelpn. */
  readonly acev2Ratio: number;
  readonly pjRatio: number;
  /** ACEv2 of conventional4 / ACEv2 with each ablation, in ABLATIONS order. */
  readonly ablationRatios: readonly number[];
}

export interface PaperAnalysis {
  readonly costTable: string;
  readonly rows: readonly PaperRow[];
}

export function paperAnalysis(table: CostTable = DEFAULT_COST_TABLE, networks: readonly BuiltinNetworkName[] = BUILTIN_NETWORK_NAMES): PaperAnalysis {
  const rows = networks.map((network): PaperRow => {
    const net = builtinNetwork(network);
    const tallies = Object.fromEntries(PAPER_RECIPES.map((r) => [r, tallyNetwork(net, RECIPES[r], table)])) as Record<PaperRecipe, NetworkTally>;
    const conv = tallies.conventional4;
    const pike = tallies.pikelpn;
    return {
      network,
      macs: conv.macs,
      tallies,
      conventionalElementwiseShare: conv.elementwiseShare,
      pikelpnElementwiseShare: pike.elementwiseShare,
      acev2Ratio: conv.acev2 / pike.acev2,
      pjRatio: conv.pj / pike.pj,
      ablationRatios: ABLATIONS.map((a) => conv.acev2 / tallyNetwork(net, a.recipe, table).acev2),
    };
  });
  return { costTable: table.name, rows };
}
