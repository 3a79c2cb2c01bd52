/**
 * The tables every report format shares: a model under several recipes, and
 * the paper analysis. Cells are already formatted (numberFormat.ts).
 */
import { CATEGORIES, CATEGORY_LABELS } from '../categories.ts';
import type { NetworkTally } from '../tally.ts';
import { ABLATIONS, type PaperAnalysis } from '../paperAnalysis.ts';
import type { Column, Table } from './textTable.ts';
import { energy, percent, ratio, si } from './numberFormat.ts';

const R = 'right' as const;
const ELEMENTWISE = CATEGORIES.filter((c) => c !== 'mac');

/** A cost per operation: exact when it is an integer. */
const each = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

/** One row per recipe: totals and the category split of ACEv2. */
export function recipeSummaryTable(model: string, tallies: readonly NetworkTally[]): Table {
  const columns: Column[] = [
    { header: 'recipe' },
    { header: 'MACs', align: R },
    { header: 'ACE', align: R },
    { header: 'ACEv2', align: R },
    { header: 'elementwise', align: R },
    ...CATEGORIES.map((c) => ({ header: CATEGORY_LABELS[c], align: R })),
    { header: 'energy', align: R },
  ];
  const rows = tallies.map((t) => [
    t.recipe,
    si(t.macs),
    si(t.ace),
    si(t.acev2),
    percent(t.elementwiseShare),
    ...CATEGORIES.map((c) => percent(t.acev2 === 0 ? 0 : t.byCategory[c].acev2 / t.acev2)),
    energy(t.pj),
  ]);
  return { title: `${model}: totals and share of ACEv2 by category`, columns, rows };
}

/** One row per layer of one tally, plus the total. */
export function layerTable(t: NetworkTally): Table {
  const columns: Column[] = [
    { header: 'layer' },
    { header: 'kind' },
    { header: 'MACs', align: R },
    { header: 'ACE', align: R },
    { header: 'ACEv2', align: R },
    ...ELEMENTWISE.map((c) => ({ header: c, align: R })),
    { header: 'energy', align: R },
  ];
  const row = (name: string, kind: string, x: NetworkTally | NetworkTally['layers'][number]): string[] => [
    name,
    kind,
    si(x.macs),
    si(x.ace),
    si(x.acev2),
    ...ELEMENTWISE.map((c) => si(x.byCategory[c].acev2)),
    energy(x.pj),
  ];
  return { title: `${t.recipe}: per layer (ACEv2 by category)`, columns, rows: [...t.layers.map((l) => row(l.name, l.kind, l)), row('total', '', t)] };
}

/** Every operation of a tally merged over layers: counts by kind and width. */
export function opTable(t: NetworkTally): Table {
  const columns: Column[] = [
    { header: 'category' },
    { header: 'operation' },
    { header: 'count', align: R },
    { header: 'ACEv2 each', align: R },
    { header: 'ACEv2', align: R },
    { header: 'share', align: R },
    { header: 'pJ each', align: R },
  ];
  const rows = t.ops.map((r) => [
    r.category,
    r.key,
    String(r.count),
    each(r.acev2 / r.count),
    si(r.acev2),
    percent(t.acev2 === 0 ? 0 : r.acev2 / t.acev2),
    (r.pj / r.count).toFixed(4),
  ]);
  return { title: `${t.recipe}: operations by kind and operand widths`, columns, rows };
}

export function paperTable(a: PaperAnalysis): Table {
  const columns: Column[] = [
    { header: 'network' },
    { header: 'MACs', align: R },
    { header: 'ACEv2 float32', align: R },
    { header: 'ACEv2 conventional4', align: R },
    { header: 'ACEv2 pikelpn', align: R },
    { header: 'elementwise share conventional4', align: R },
    { header: 'elementwise share pikelpn', align: R },
    { header: 'ACEv2 conventional4/pikelpn', align: R },
    { header: 'energy conventional4/pikelpn', align: R },
  ];
  const rows = a.rows.map((r) => [
    r.network,
    si(r.macs),
    si(r.tallies.float32.acev2),
    si(r.tallies.conventional4.acev2),
    si(r.tallies.pikelpn.acev2),
    percent(r.conventionalElementwiseShare),
    percent(r.pikelpnElementwiseShare),
    ratio(r.acev2Ratio),
    ratio(r.pjRatio),
  ]);
  return { title: `The paper's analysis (cost table ${a.costTable})`, columns, rows };
}

export function ablationTable(a: PaperAnalysis): Table {
  return {
    title: 'Ablation: ACEv2 of conventional4 divided by ACEv2 with techniques added',
    columns: [{ header: 'network' }, ...ABLATIONS.map((x) => ({ header: x.label, align: R })), { header: 'pikelpn', align: R }],
    rows: a.rows.map((r) => [r.network, ...r.ablationRatios.map(ratio), ratio(r.acev2Ratio)]),
  };
}
